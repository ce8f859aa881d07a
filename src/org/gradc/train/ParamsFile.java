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
import org.gradc.diag.UserText;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.Precision;
import org.gradc.runtime.TensorSpec;

/**
 * Parameter files: a JSON object (as the {@code params} of a values file), one member per parameter in
 * declaration order, each a number (scalar), an array (vector) or an array of row arrays
 * (matrix), numbers at full double precision:
 *
 * <pre>{"W1": [[0.5, -0.3], [0.1, 0.2]], "b1": [0.1, -0.2], "w": 1.7}</pre>
 *
 * Reading also accepts that object wrapped as {@code {"params": {…}}} (an eval values file).
 * Every parameter must be present with its exact shape; unknown names are an error.
 */
public final class ParamsFile {
  private ParamsFile() {}

  /**
   * The JSON text for {@code theta} laid out by {@code model.parameters()}: one member per line,
   * each number in the shortest form that reads back as the same double. A NaN or infinite
   * value is written as {@code null}, which {@link #read} rejects.
   *
   * @param model the model whose parameters name and shape the members
   * @param theta the parameter vector, exactly {@code model.parameterCount()} values
   * @return the JSON object, ending in a line break
   * @throws IllegalArgumentException when {@code theta} has the wrong length
   */
  public static String toJson(CompiledModel model, double[] theta) {
    if (theta.length != model.parameterCount()) {
      throw new IllegalArgumentException("theta has " + theta.length + " values, the model has "
          + model.parameterCount() + " parameters");
    }
    StringWriter out = new StringWriter();
    try (JsonGenerator g = TensorJson.prettyGenerator(out)) {
      g.writeStartObject();
      for (TensorSpec s : model.parameters()) {
        g.writeFieldName(s.name());
        TensorJson.write(g, theta, s.offset(), s.shape(), model.precision() == Precision.F32);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out + "\n";
  }

  /**
   * Writes the parameters atomically ({@link AtomicFile}): a reader never sees a partial file,
   * and a failed write leaves the old file as it was.
   *
   * @param path the file to create or replace
   * @param model the model whose parameters name and shape the members
   * @param theta the parameter vector, exactly {@code model.parameterCount()} values
   * @throws IOException when the file cannot be written
   * @throws IllegalArgumentException when {@code theta} has the wrong length
   */
  public static void write(Path path, CompiledModel model, double[] theta) throws IOException {
    AtomicFile.write(path, toJson(model, theta).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a parameter file for {@code model}; the result is laid out by {@code model.parameters()}.
   *
   * @param path the JSON file (UTF-8); its string form names it in messages
   * @param model the model the parameters are for
   * @return a new vector of {@code model.parameterCount()} values
   * @throws DataException when the file cannot be read or is not valid JSON, or a parameter is
   *     missing, unknown, of the wrong shape or not a finite number
   */
  public static double[] read(Path path, CompiledModel model) throws DataException {
    return fromJson(path.toString(), TensorJson.read(path), model);
  }

  /**
   * Parses parameter JSON (see {@link #read}).
   *
   * @param name the name used in messages
   * @param text the JSON text
   * @param model the model the parameters are for
   * @return a new vector of {@code model.parameterCount()} values
   * @throws DataException when the text is not valid JSON, or a parameter is missing, unknown,
   *     of the wrong shape or not a finite number
   */
  public static double[] parse(String name, String text, CompiledModel model) throws DataException {
    return fromJson(name, TensorJson.parse(name, text), model);
  }

  static double[] fromJson(String name, JsonNode root, CompiledModel model) throws DataException {
    if (root == null || !root.isObject()) {
      throw new DataException(name, "expected a JSON object mapping parameter names to values");
    }
    boolean hasParamsNamedParams = model.parameters().stream().anyMatch(s -> s.name().equals("params"));
    if (!hasParamsNamedParams && root.has("params") && root.get("params").isObject()) {
      root = root.get("params");
    }
    double[] theta = new double[model.parameterCount()];
    List<String> known = new ArrayList<>();
    for (TensorSpec s : model.parameters()) {
      known.add(s.name());
      JsonNode v = root.get(s.name());
      if (v == null) {
        throw new DataException(name, "missing parameter '" + s.name() + "' "
            + java.util.Arrays.toString(s.shape()) + " of model " + model.name());
      }
      fill(name, s, v, theta);
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw new DataException(name, "unknown parameter '" + UserText.quote(f) + "': model " + model.name()
            + " has " + String.join(", ", known));
      }
    }
    return theta;
  }

  private static void fill(String file, TensorSpec s, JsonNode v, double[] theta) throws DataException {
    double[] values = TensorJson.read(file, s.name(), v, s.shape());
    for (double d : values) {
      if (!Double.isFinite(d)) {
        throw TensorJson.error(file, s.name(), "not a finite number");
      }
    }
    System.arraycopy(values, 0, theta, s.offset(), values.length);
  }
}
