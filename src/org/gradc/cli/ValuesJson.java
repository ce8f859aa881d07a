package org.gradc.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradc.runtime.CompiledModel;
import org.gradc.ir.Numbers;
import org.gradc.runtime.TensorSpec;

/**
 * The {@code --values} file of {@code gradc eval} (SPEC 2.1) and the JSON it prints. Every
 * problem is a user error naming the file and the field, e.g.
 * {@code V.json: params.W1: expected shape [2, 4], but row 1 has 3 values}.
 */
final class ValuesJson {
  private ValuesJson() {}

  /** Parameters (declared values overridden by the file) and one batch, in the model's layout. */
  record Values(double[] theta, double[] inputs, double[] targets, int batchSize) {}

  static Values read(Path path, CompiledModel model, long seed) throws SourceLoader.UserError {
    String label = path.toString();
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(path));
    } catch (NoSuchFileException e) {
      throw new SourceLoader.UserError("cannot read '" + path + "': no such file");
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      String why = e.getOriginalMessage().replaceAll("(?s)\\s*\\(start marker at.*", "")
          .replaceAll("(?s)\\s*at \\[Source.*", "");
      throw new SourceLoader.UserError(label + ": invalid JSON" + where + ": " + why);
    } catch (IOException e) {
      throw new SourceLoader.UserError("cannot read '" + path + "': " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw error(label, "", "expected an object with \"params\" and \"batch\"");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("params") && !f.equals("batch")) {
        throw error(label, f, "unknown field; expected \"params\" and \"batch\"");
      }
    }
    double[] theta = model.initialParameters(seed);
    JsonNode params = root.get("params");
    if (params != null && !params.isNull()) {
      if (!params.isObject()) {
        throw error(label, "params", "expected an object of parameter values");
      }
      Map<String, TensorSpec> byName = byName(model.parameters());
      for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        TensorSpec spec = byName.get(f.getKey());
        String field = "params." + f.getKey();
        if (spec == null) {
          throw error(label, field, "no parameter '" + f.getKey() + "' in model "
              + model.name() + "; it has " + names(model.parameters()));
        }
        double[] v = tensor(label, field, f.getValue(), spec.shape());
        System.arraycopy(v, 0, theta, spec.offset(), v.length);
      }
    }
    JsonNode batch = root.get("batch");
    if (batch == null || !batch.isObject()) {
      throw error(label, "batch", batch == null ? "missing; expected an object of input and "
          + "target values with a leading batch dimension" : "expected an object");
    }
    List<TensorSpec> all = new ArrayList<>(model.inputs());
    all.addAll(model.targets());
    Map<String, TensorSpec> byName = byName(all);
    for (Iterator<String> it = batch.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!byName.containsKey(f)) {
        throw error(label, "batch." + f, "no input or target '" + f + "' in model "
            + model.name() + "; it has " + names(all));
      }
    }
    int size = -1;
    String sizeFrom = null;
    for (TensorSpec s : all) {
      String field = "batch." + s.name();
      JsonNode v = batch.get(s.name());
      if (v == null) {
        throw error(label, field, "missing");
      }
      if (!v.isArray() || v.isEmpty()) {
        throw error(label, field, "expected a non-empty array with one entry per example");
      }
      if (size >= 0 && v.size() != size) {
        throw error(label, field, "has " + v.size() + " examples, but " + sizeFrom + " has "
            + size);
      }
      size = v.size();
      sizeFrom = field;
    }
    if (size < 0) {
      throw error(label, "batch", "the model has no inputs or targets; cannot tell the batch size");
    }
    double[] inputs = examples(label, batch, model.inputs(), size);
    double[] targets = examples(label, batch, model.targets(), size);
    return new Values(theta, inputs, targets, size);
  }

  private static double[] examples(String label, JsonNode batch, List<TensorSpec> specs, int b)
      throws SourceLoader.UserError {
    int width = specs.stream().mapToInt(TensorSpec::size).sum();
    double[] out = new double[b * width];
    for (TensorSpec s : specs) {
      JsonNode arr = batch.get(s.name());
      for (int e = 0; e < b; e++) {
        double[] v = tensor(label, "batch." + s.name() + "[" + e + "]", arr.get(e), s.shape());
        System.arraycopy(v, 0, out, e * width + s.offset(), v.length);
      }
    }
    return out;
  }

  /** A number, an array of numbers or an array of equal rows, in the given shape. */
  private static double[] tensor(String label, String field, JsonNode v, int[] shape)
      throws SourceLoader.UserError {
    String want = "expected " + describe(shape);
    if (shape.length == 0) {
      if (v.isArray() && v.size() == 1 && v.get(0).isNumber()) {
        return new double[] {v.get(0).asDouble()};
      }
      return new double[] {number(label, field, v, want)};
    }
    if (!v.isArray()) {
      throw error(label, field, want + ", but got " + kind(v));
    }
    if (v.size() != shape[0]) {
      throw error(label, field, want + ", but got " + v.size()
          + (shape.length == 1 ? " values" : " rows"));
    }
    if (shape.length == 1) {
      double[] out = new double[shape[0]];
      for (int i = 0; i < shape[0]; i++) {
        out[i] = number(label, field + "[" + i + "]", v.get(i), want);
      }
      return out;
    }
    double[] out = new double[shape[0] * shape[1]];
    for (int r = 0; r < shape[0]; r++) {
      JsonNode row = v.get(r);
      if (!row.isArray() || row.size() != shape[1]) {
        throw error(label, field + "[" + r + "]", want + ", but row " + r + " has "
            + (row.isArray() ? row.size() + " values" : kind(row)));
      }
      for (int c = 0; c < shape[1]; c++) {
        out[r * shape[1] + c] = number(label, field + "[" + r + "][" + c + "]", row.get(c), want);
      }
    }
    return out;
  }

  private static double number(String label, String field, JsonNode v, String want)
      throws SourceLoader.UserError {
    if (!v.isNumber()) {
      throw error(label, field, (want.startsWith("expected a number") ? want : "expected a number")
          + ", but got " + kind(v));
    }
    return v.asDouble();
  }

  private static String describe(int[] shape) {
    if (shape.length == 0) {
      return "a number (a scalar)";
    }
    return "shape " + Arrays.toString(shape);
  }

  private static String kind(JsonNode v) {
    if (v.isTextual()) {
      return "the string \"" + v.asText() + "\"";
    }
    if (v.isArray()) {
      return "an array of " + v.size();
    }
    if (v.isObject()) {
      return "an object";
    }
    if (v.isBoolean()) {
      return v.asText();
    }
    if (v.isNull()) {
      return "null";
    }
    return v.toString();
  }

  private static SourceLoader.UserError error(String label, String field, String message) {
    return new SourceLoader.UserError(label + ": " + (field.isEmpty() ? "" : field + ": ") + message);
  }

  private static Map<String, TensorSpec> byName(List<TensorSpec> specs) {
    Map<String, TensorSpec> m = new LinkedHashMap<>();
    specs.forEach(s -> m.put(s.name(), s));
    return m;
  }

  private static String names(List<TensorSpec> specs) {
    if (specs.isEmpty()) {
      return "none";
    }
    StringBuilder b = new StringBuilder();
    for (TensorSpec s : specs) {
      b.append(b.length() == 0 ? "" : ", ").append('\'').append(s.name()).append('\'');
    }
    return b.toString();
  }

  // ---- output ----

  /** The eval result as JSON text (SPEC 2.1), numbers with full round-trip precision. */
  static String result(CompiledModel model, Values v, double loss, double[] grad, double[] out) {
    StringBuilder b = new StringBuilder();
    b.append("{\n  \"model\": ").append(string(model.name())).append(",\n");
    b.append("  \"batch_size\": ").append(v.batchSize()).append(",\n");
    b.append("  \"loss\": ").append(number(loss)).append(",\n");
    b.append("  \"outputs\": {");
    List<TensorSpec> outs = model.outputs();
    for (int i = 0; i < outs.size(); i++) {
      TensorSpec s = outs.get(i);
      b.append(i == 0 ? "\n" : ",\n").append("    ").append(string(s.name())).append(": [");
      for (int e = 0; e < v.batchSize(); e++) {
        b.append(e == 0 ? "" : ", ");
        nested(b, out, e * model.outputWidth() + s.offset(), s.shape());
      }
      b.append(']');
    }
    b.append(outs.isEmpty() ? "},\n" : "\n  },\n");
    b.append("  \"gradients\": {");
    List<TensorSpec> ps = model.parameters();
    for (int i = 0; i < ps.size(); i++) {
      TensorSpec s = ps.get(i);
      b.append(i == 0 ? "\n" : ",\n").append("    ").append(string(s.name())).append(": ");
      nested(b, grad, s.offset(), s.shape());
    }
    b.append(ps.isEmpty() ? "}\n" : "\n  }\n");
    return b.append("}\n").toString();
  }

  private static void nested(StringBuilder b, double[] v, int off, int[] shape) {
    if (shape.length == 0) {
      b.append(number(v[off]));
    } else if (shape.length == 1) {
      b.append('[');
      for (int i = 0; i < shape[0]; i++) {
        b.append(i == 0 ? "" : ", ").append(number(v[off + i]));
      }
      b.append(']');
    } else {
      b.append('[');
      for (int r = 0; r < shape[0]; r++) {
        b.append(r == 0 ? "" : ", ");
        nested(b, v, off + r * shape[1], new int[] {shape[1]});
      }
      b.append(']');
    }
  }

  /** Shortest round-trip decimal; JSON has no NaN or infinities, so those print as null. */
  static String number(double x) {
    return Double.isFinite(x) ? Numbers.shortest(x) : "null";
  }

  private static String string(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
