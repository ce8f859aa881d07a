package org.gradc.train;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gradc.diag.UserText;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.Precision;

/**
 * What {@code gradc train --save} writes and {@code --resume} and {@code predict} read: the
 * parameters, how the CSV columns were mapped (with the class names of label columns) and, to
 * continue training exactly, the {@link TrainState}. One JSON object:
 *
 * <pre>{@code
 * {
 *   "params": {"W1": [[…], …], …},
 *   "columns": {"x": ["sepal_length", …]},
 *   "labels": {"y": {"column": "species", "classes": ["setosa", "versicolor", "virginica"]}},
 *   "training": {"epoch": 300, "step": 2850, "seed": 1, "examples": 150,
 *                "optimizer": "adam", "buffers": [[…], […]]}
 * }
 * }</pre>
 *
 * {@code columns}, {@code labels} and {@code training} are optional; a bare parameter object
 * ({@link ParamsFile}) reads as a checkpoint with only parameters.
 *
 * @param params the parameters, laid out by {@code model.parameters()}
 * @param columns the column map the data was read with
 * @param state where training stands, or empty
 */
public record Checkpoint(double[] params, ColumnMap columns, Optional<TrainState> state) {
  private static final List<String> KEYS = List.of("params", "columns", "labels", "training");

  /**
   * Copies {@code params}.
   *
   * @param params the parameters (copied)
   * @param columns the column map the data was read with
   * @param state where training stands, or empty
   */
  public Checkpoint {
    params = params.clone();
  }

  /**
   * The parameters.
   *
   * @return a copy
   */
  @Override
  public double[] params() {
    return params.clone();
  }

  /**
   * Writes the checkpoint atomically ({@link AtomicFile}).
   *
   * @param path the file to create or replace
   * @param model the model whose parameters name and shape the values
   * @throws IOException when the file cannot be written
   */
  public void write(Path path, CompiledModel model) throws IOException {
    AtomicFile.write(path, toJson(model).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The JSON text; numbers in the shortest form that reads back as the same double.
   *
   * @param model the model whose parameters name and shape the values
   * @return the JSON object, ending in a line break
   */
  public String toJson(CompiledModel model) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = TensorJson.prettyGenerator(out)) {
      g.writeStartObject();
      if (params.length != model.parameterCount()) {
        throw new IllegalArgumentException("the checkpoint has " + params.length
            + " parameters, the model " + model.parameterCount());
      }
      g.writeObjectFieldStart("params");
      for (var s : model.parameters()) {
        g.writeFieldName(s.name());
        TensorJson.write(g, params, s.offset(), s.shape(), model.precision() == Precision.F32);
      }
      g.writeEndObject();
      if (!columns.columns().isEmpty()) {
        g.writeObjectFieldStart("columns");
        for (Map.Entry<String, List<String>> e : columns.columns().entrySet()) {
          g.writeArrayFieldStart(e.getKey());
          for (String c : e.getValue()) {
            g.writeString(c);
          }
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      if (!columns.labels().isEmpty()) {
        g.writeObjectFieldStart("labels");
        for (Map.Entry<String, ColumnMap.Label> e : columns.labels().entrySet()) {
          g.writeObjectFieldStart(e.getKey());
          g.writeStringField("column", e.getValue().column());
          g.writeArrayFieldStart("classes");
          for (String c : e.getValue().classes()) {
            g.writeString(c);
          }
          g.writeEndArray();
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      if (state.isPresent()) {
        writeState(g, state.get(), model.precision() == Precision.F32);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out + "\n";
  }

  private static void writeState(JsonGenerator g, TrainState s, boolean floats)
      throws IOException {
    g.writeObjectFieldStart("training");
    g.writeNumberField("epoch", s.epoch());
    g.writeNumberField("step", s.step());
    g.writeNumberField("seed", s.seed());
    g.writeNumberField("examples", s.examples());
    g.writeStringField("optimizer", s.optimizer());
    g.writeArrayFieldStart("buffers");
    for (double[] b : s.buffers()) {
      TensorJson.write(g, b, 0, new int[] {b.length}, floats);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /**
   * Reads a checkpoint, or a bare parameter file, for {@code model}.
   *
   * @param path the JSON file; its string form names it in messages
   * @param model the model the parameters are for
   * @return the checkpoint
   * @throws DataException when the file cannot be read, is not valid JSON, or a field is
   *     missing, unknown or malformed
   */
  public static Checkpoint read(Path path, CompiledModel model) throws DataException {
    String file = path.toString();
    JsonNode root = TensorJson.read(path);
    double[] params = ParamsFile.fromJson(file, root, model);
    if (!isCheckpoint(root, model)) {
      return new Checkpoint(params, ColumnMap.DEFAULT, Optional.empty());
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!KEYS.contains(f)) {
        throw new DataException(file, "unknown field '" + UserText.quote(f) + "'; a checkpoint has "
            + String.join(", ", KEYS));
      }
    }
    ColumnMap map = ColumnMap.DEFAULT;
    try {
      for (Map.Entry<String, JsonNode> e : fields(file, root, "columns")) {
        map = map.withColumns(e.getKey(), strings(file, "columns." + e.getKey(), e.getValue()));
      }
      for (Map.Entry<String, JsonNode> e : fields(file, root, "labels")) {
        JsonNode column = e.getValue().get("column");
        if (column == null || !column.isTextual()) {
          throw new DataException(file, "labels." + UserText.quote(e.getKey()) + ".column: expected a string");
        }
        map = map.withLabel(e.getKey(), column.asText(),
            strings(file, "labels." + e.getKey() + ".classes", e.getValue().get("classes")));
      }
    } catch (IllegalArgumentException e) {
      throw new DataException(file, e.getMessage());
    }
    JsonNode training = root.get("training");
    Optional<TrainState> state = training == null ? Optional.empty()
        : Optional.of(state(file, training, model.parameterCount()));
    return new Checkpoint(params, map, state);
  }

  /** A file with a {@code params} object (and no parameter of that name) is a checkpoint. */
  private static boolean isCheckpoint(JsonNode root, CompiledModel model) {
    return root.has("params") && root.get("params").isObject()
        && model.parameters().stream().noneMatch(s -> s.name().equals("params"));
  }

  private static TrainState state(String file, JsonNode t, int parameterCount) throws DataException {
    long epoch = integer(file, t, "epoch");
    long step = integer(file, t, "step");
    long examples = integer(file, t, "examples");
    JsonNode seed = t.get("seed");
    JsonNode kind = t.get("optimizer");
    JsonNode buffers = t.get("buffers");
    if (seed == null || !seed.canConvertToLong() || kind == null || !kind.isTextual()
        || buffers == null || !buffers.isArray() || epoch > Integer.MAX_VALUE || examples > Integer.MAX_VALUE) {
      throw new DataException(file, "training: expected epoch, step, seed, examples, optimizer"
          + " and buffers as --save writes them");
    }
    double[][] b = new double[buffers.size()][];
    for (int i = 0; i < b.length; i++) {
      b[i] = TensorJson.read(file, "training.buffers[" + i + "]", buffers.get(i), new int[] {parameterCount});
    }
    return new TrainState((int) epoch, step, seed.asLong(), (int) examples, kind.asText(), b);
  }

  private static long integer(String file, JsonNode t, String field) throws DataException {
    JsonNode v = t.get(field);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
      throw new DataException(file, "training." + field + ": expected a non-negative integer");
    }
    return v.asLong();
  }

  private static Iterable<Map.Entry<String, JsonNode>> fields(String file, JsonNode root, String key)
      throws DataException {
    JsonNode v = root.get(key);
    if (v == null) {
      return List.of();
    }
    if (!v.isObject()) {
      throw new DataException(file, key + ": expected an object");
    }
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    v.fields().forEachRemaining(out::add);
    return out;
  }

  private static List<String> strings(String file, String field, JsonNode v) throws DataException {
    List<String> out = new ArrayList<>();
    if (v == null || !v.isArray()) {
      throw new DataException(file, UserText.quote(field) + ": expected an array of strings");
    }
    for (JsonNode s : v) {
      if (!s.isTextual()) {
        throw new DataException(file, UserText.quote(field) + ": expected an array of strings");
      }
      out.add(s.asText());
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint c && java.util.Arrays.equals(c.params, params)
        && c.columns.equals(columns) && c.state.equals(state);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(params) * 31 + columns.hashCode();
  }

  /** e.g. {@code Checkpoint[17 parameters, x=x1,x2, TrainState[…]]}. */
  @Override
  public String toString() {
    return "Checkpoint[" + params.length + " parameters, " + columns + ", " + state.map(String::valueOf).orElse("no state") + "]";
  }
}
