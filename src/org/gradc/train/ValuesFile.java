package org.gradc.train;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.gradc.diag.UserText;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.ModelLayout;
import org.gradc.runtime.Precision;
import org.gradc.runtime.TensorSpec;

/**
 * The values file of {@code gradc eval} and {@code gradc explain} (README, "Explain"):
 * {@code {"params": {...}, "batch": {...}, "direction": {...}}}. Parameters not listed take their
 * declared initial values; batch arrays have a leading batch dimension; the optional direction of
 * a Hessian-vector product is shaped like the parameters, 0 where not listed. Also writes eval's
 * result JSON.
 */
public final class ValuesFile {
  private ValuesFile() {}

  /**
   * Parameters (declared values overridden by the file), one batch, and the direction of a
   * Hessian-vector product (null when the file has none), in the model's layout.
   */
  public record Values(double[] theta, double[] inputs, double[] targets, int batchSize,
      double[] direction) {
    /**
     * Every leaf by DSL name, as the reference evaluator takes them: each parameter's slice of
     * theta, and each input and target as B consecutive per-example blocks.
     */
    public Map<String, double[]> leaves(ModelLayout model) {
      Map<String, double[]> out = new LinkedHashMap<>();
      for (TensorSpec p : model.parameters()) {
        double[] v = new double[p.size()];
        System.arraycopy(theta, p.offset(), v, 0, p.size());
        out.put(p.name(), v);
      }
      gather(out, model.inputs(), inputs, model.inputWidth());
      gather(out, model.targets(), targets, model.targetWidth());
      return out;
    }

    private void gather(Map<String, double[]> out, List<TensorSpec> specs, double[] rows, int width) {
      for (TensorSpec s : specs) {
        double[] v = new double[batchSize * s.size()];
        for (int e = 0; e < batchSize; e++) {
          System.arraycopy(rows, e * width + s.offset(), v, e * s.size(), s.size());
        }
        out.put(s.name(), v);
      }
    }
  }

  public static Values read(Path path, ModelLayout model, long seed) throws DataException {
    String file = path.toString();
    JsonNode root = TensorJson.read(path);
    if (root == null || !root.isObject()) {
      throw TensorJson.error(file, "", "expected an object with \"params\" and \"batch\"");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("params") && !f.equals("batch") && !f.equals("direction")) {
        throw TensorJson.error(file, UserText.quote(f),
            "unknown field; expected \"params\", \"batch\" and \"direction\"");
      }
    }
    double[] theta = model.initialParameters(seed);
    perParameter(file, "params", root.get("params"), model, theta);
    double[] direction = null;
    if (root.get("direction") != null && !root.get("direction").isNull()) {
      direction = new double[theta.length];
      perParameter(file, "direction", root.get("direction"), model, direction);
    }
    JsonNode batch = root.get("batch");
    if (batch == null || !batch.isObject()) {
      throw TensorJson.error(file, "batch", batch == null ? "missing; expected an object of input and "
          + "target values with a leading batch dimension" : "expected an object");
    }
    List<TensorSpec> all = new ArrayList<>(model.inputs());
    all.addAll(model.targets());
    Map<String, TensorSpec> byName = byName(all);
    for (Iterator<String> it = batch.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!byName.containsKey(f)) {
        String key = UserText.quote(f);
        throw TensorJson.error(file, "batch." + key, "no input or target '" + key + "' in model "
            + model.name() + "; it has " + names(all));
      }
    }
    int size = -1;
    String sizeFrom = null;
    for (TensorSpec s : all) {
      String field = "batch." + s.name();
      JsonNode v = batch.get(s.name());
      if (v == null) {
        throw TensorJson.error(file, field, "missing");
      }
      if (!v.isArray() || v.isEmpty()) {
        throw TensorJson.error(file, field, "expected a non-empty array with one entry per example");
      }
      if (size >= 0 && v.size() != size) {
        throw TensorJson.error(file, field, "has " + v.size() + " examples, but " + sizeFrom + " has " + size);
      }
      size = v.size();
      sizeFrom = field;
    }
    if (size < 0) {
      throw TensorJson.error(file, "batch", "the model has no inputs or targets; cannot tell the batch size");
    }
    return new Values(theta, examples(file, batch, model.inputs(), size),
        examples(file, batch, model.targets(), size), size, direction);
  }

  /** The entries of an object keyed by parameter name, each written into its slice of {@code into}. */
  private static void perParameter(String file, String what, JsonNode values, ModelLayout model,
      double[] into) throws DataException {
    if (values == null || values.isNull()) {
      return;
    }
    if (!values.isObject()) {
      throw TensorJson.error(file, what, "expected an object with one entry per parameter");
    }
    Map<String, TensorSpec> byName = byName(model.parameters());
    for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      TensorSpec spec = byName.get(f.getKey());
      if (spec == null) {
        String key = UserText.quote(f.getKey());
        throw TensorJson.error(file, what + "." + key, "no parameter '" + key + "' in model "
            + model.name() + "; it has " + names(model.parameters()));
      }
      double[] v = TensorJson.read(file, what + "." + f.getKey(), f.getValue(), spec.shape());
      System.arraycopy(v, 0, into, spec.offset(), v.length);
    }
  }

  private static double[] examples(String file, JsonNode batch, List<TensorSpec> specs, int b)
      throws DataException {
    int width = specs.stream().mapToInt(TensorSpec::size).sum();
    double[] out = new double[b * width];
    for (TensorSpec s : specs) {
      JsonNode arr = batch.get(s.name());
      for (int e = 0; e < b; e++) {
        double[] v = TensorJson.read(file, "batch." + s.name() + "[" + e + "]", arr.get(e), s.shape());
        System.arraycopy(v, 0, out, e * width + s.offset(), v.length);
      }
    }
    return out;
  }

  /**
   * A values file to edit, which {@link #read} accepts unchanged: every parameter at its initial
   * value (random initializers drawn with {@code seed}, as {@code read} draws the parameters a
   * file leaves out) and a batch of one example with every input and target zero.
   */
  public static String template(ModelLayout model, long seed) {
    double[] theta = model.initialParameters(seed);
    StringWriter text = new StringWriter();
    try (JsonGenerator g = TensorJson.prettyGenerator(text)) {
      g.writeStartObject();
      g.writeObjectFieldStart("params");
      for (TensorSpec s : model.parameters()) {
        g.writeFieldName(s.name());
        TensorJson.write(g, theta, s.offset(), s.shape());
      }
      g.writeEndObject();
      g.writeObjectFieldStart("batch");
      List<TensorSpec> leaves = new ArrayList<>(model.inputs());
      leaves.addAll(model.targets());
      for (TensorSpec s : leaves) {
        g.writeArrayFieldStart(s.name());
        TensorJson.write(g, new double[s.size()], 0, s.shape());
        g.writeEndArray();
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text + "\n";
  }

  /**
   * The eval result: model, batch size, loss, outputs per example, gradients, and with a
   * direction, the Hessian-vector product in the gradients' shape.
   */
  public static String result(ModelLayout model, Values v, double loss, double[] grad, double[] out,
      double[] hvp) {
    // an f32 model's results are floats, written as floats
    boolean floats = model instanceof CompiledModel c && c.precision() == Precision.F32;
    StringWriter text = new StringWriter();
    try (JsonGenerator g = TensorJson.prettyGenerator(text)) {
      g.writeStartObject();
      g.writeStringField("model", model.name());
      g.writeNumberField("batch_size", v.batchSize());
      g.writeFieldName("loss");
      TensorJson.write(g, new double[] {loss}, 0, new int[0], floats);
      g.writeObjectFieldStart("outputs");
      for (TensorSpec s : model.outputs()) {
        g.writeArrayFieldStart(s.name());
        for (int e = 0; e < v.batchSize(); e++) {
          TensorJson.write(g, out, e * model.outputWidth() + s.offset(), s.shape(), floats);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
      writeParameters(g, "gradients", model, grad, floats);
      if (hvp != null) {
        writeParameters(g, "hvp", model, hvp, false);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text + "\n";
  }

  private static void writeParameters(JsonGenerator g, String field, ModelLayout model,
      double[] values, boolean floats) throws IOException {
    g.writeObjectFieldStart(field);
    for (TensorSpec s : model.parameters()) {
      g.writeFieldName(s.name());
      TensorJson.write(g, values, s.offset(), s.shape(), floats);
    }
    g.writeEndObject();
  }

  private static Map<String, TensorSpec> byName(List<TensorSpec> specs) {
    Map<String, TensorSpec> m = new LinkedHashMap<>();
    specs.forEach(s -> m.put(s.name(), s));
    return m;
  }

  private static String names(List<TensorSpec> specs) {
    return specs.isEmpty() ? "none"
        : specs.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
  }
}
