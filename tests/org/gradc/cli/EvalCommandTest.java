package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.gradc.Examples;
import org.gradc.Gradc;
import org.gradc.runtime.CompiledModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code gradc eval} through {@code Main.run}: SPEC 5 reference numbers and bad values files. */
class EvalCommandTest {
  @TempDir
  Path dir;

  JsonNode eval(String file, String values) throws IOException {
    Path v = dir.resolve("v.json");
    Files.writeString(v, values);
    Cli.Run r = Cli.run("eval", file, "--values", v.toString());
    assertEquals(0, r.status(), r.err());
    assertEquals("", r.err());
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void singleSigmoidNeuron() throws IOException {
    // SPEC 5.1: x = 0.5, w = 1.2, b = -0.8, y = 0 (w and b are the declared values)
    JsonNode j = eval("examples/seeds/neuron.grad", "{\"batch\": {\"x\": [0.5], \"y\": [0]}}");
    assertEquals(0.450166, j.at("/outputs/yhat/0").asDouble(), 5e-7);
    assertEquals(0.0557118, j.at("/gradients/w").asDouble(), 5e-8);
    assertEquals(0.111424, j.at("/gradients/b").asDouble(), 5e-7);
    assertTrue(j.at("/gradients/w").isNumber(), "a scalar gradient is a number");
  }

  @Test
  void directionGivesTheHessianVectorProduct() throws IOException {
    // (w x - y)²: d²/dw² = 2 x² = 8 at x = 2, so H · 0.5 = 4; no direction, no "hvp"
    JsonNode j = eval("examples/seeds/linear.grad",
        "{\"params\": {\"w\": 0.5}, \"batch\": {\"x\": [2.0], \"y\": [4.0]}, "
            + "\"direction\": {\"w\": 0.5}}");
    assertEquals(4.0, j.at("/hvp/w").asDouble(), 1e-12);
    assertEquals(-12.0, j.at("/gradients/w").asDouble(), 0);
    assertTrue(eval("examples/seeds/linear.grad",
        "{\"batch\": {\"x\": [2.0], \"y\": [4.0]}}").path("hvp").isMissingNode());
  }

  /** A tensor as nested JSON arrays (a number for a scalar). */
  static Object tensor(double[] flat, int offset, int[] shape) {
    if (shape.length == 0) {
      return flat[offset];
    }
    int[] tail = java.util.Arrays.copyOfRange(shape, 1, shape.length);
    int inner = java.util.Arrays.stream(tail).reduce(1, (p, q) -> p * q);
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < shape[0]; i++) {
      out.add(tensor(flat, offset + i * inner, tail));
    }
    return out;
  }

  /** Element k (row-major) of a nested JSON array of {@code shape}. */
  static JsonNode element(JsonNode t, int[] shape, int k) {
    JsonNode e = t;
    int rest = k;
    for (int d = 0; d < shape.length; d++) {
      int inner = java.util.Arrays.stream(shape, d + 1, shape.length).reduce(1, (p, q) -> p * q);
      e = e.get(rest / inner);
      rest %= inner;
    }
    return e;
  }

  static Map<String, Object> perParameter(CompiledModel m, double[] values) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.parameters().forEach(p -> out.put(p.name(), tensor(values, p.offset(), p.shape())));
    return out;
  }

  @Test
  void everyExampleHvpMatchesCentralDifferencesOfTheGradient() throws IOException {
    for (Path file : Examples.files()) {
      CompiledModel m = Gradc.compile(file);
      Random rnd = new Random(file.toString().hashCode());
      int b = 2;
      double[] theta = m.initialParameters(42);
      double[] v = new double[theta.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = 2 * rnd.nextDouble() - 1;
      }
      double[] x = new double[b * m.inputWidth()];
      double[] y = new double[b * m.targetWidth()];
      Map<String, Object> batch = new LinkedHashMap<>();
      for (var specs : List.of(m.inputs(), m.targets())) {
        double[] rows = specs == m.inputs() ? x : y;
        int width = specs == m.inputs() ? m.inputWidth() : m.targetWidth();
        for (var s : specs) {
          List<Object> examples = new ArrayList<>();
          for (int e = 0; e < b; e++) {
            for (int k = 0; k < s.size(); k++) {
              rows[e * width + s.offset() + k] = rnd.nextDouble();
            }
            examples.add(tensor(rows, e * width + s.offset(), s.shape()));
          }
          batch.put(s.name(), examples);
        }
      }
      String json = new ObjectMapper().writeValueAsString(
          Map.of("batch", batch, "direction", perParameter(m, v)));
      JsonNode hvp = eval(file.toString(), json).get("hvp");
      double h = 1e-5;
      double[] gp = new double[theta.length];
      double[] gm = new double[theta.length];
      double[] plus = theta.clone();
      double[] minus = theta.clone();
      for (int i = 0; i < theta.length; i++) {
        plus[i] += h * v[i];
        minus[i] -= h * v[i];
      }
      m.lossAndGradient(plus, x, y, b, gp);
      m.lossAndGradient(minus, x, y, b, gm);
      for (var p : m.parameters()) {
        JsonNode t = hvp.get(p.name());
        for (int k = 0; k < p.size(); k++) {
          JsonNode e = element(t, p.shape(), k);
          int i = p.offset() + k;
          double fd = (gp[i] - gm[i]) / (2 * h);
          assertEquals(fd, e.asDouble(), 1e-6 * Math.max(1, Math.abs(fd)),
              file + " " + p.name() + "[" + k + "]");
        }
      }
    }
  }

  @Test
  void linearNeuronAndOneSgdStep() throws IOException {
    // SPEC 5.2: x = 2, w = 0.5, y = 4: loss 9, dL/dw = -12, w - 0.1 * dL/dw = 1.7
    JsonNode j = eval("examples/seeds/linear.grad",
        "{\"params\": {\"w\": 0.5}, \"batch\": {\"x\": [2.0], \"y\": [4.0]}}");
    assertEquals("Linear", j.get("model").asText());
    assertEquals(1, j.get("batch_size").asInt());
    assertEquals(9.0, j.get("loss").asDouble(), 0);
    double dw = j.at("/gradients/w").asDouble();
    assertEquals(-12.0, dw, 0);
    double w = 0.5 - 0.1 * dw;
    assertEquals(1.7, w, 1e-15);
    JsonNode after = eval("examples/seeds/linear.grad",
        "{\"params\": {\"w\": " + w + "}, \"batch\": {\"x\": [2.0], \"y\": [4.0]}}");
    assertEquals(3.4, after.at("/outputs/yhat/0").asDouble(), 1e-12);
  }

  @Test
  void twoLayerNetwork() throws IOException {
    // SPEC 5.3, with the parameters spelled out in the values file
    JsonNode j = eval("examples/seeds/two_layer.grad", "{\"params\": {\"W1\": [0.5, -0.3], "
        + "\"b1\": [0.1, -0.2], \"W2\": [0.8, -0.4], \"b2\": 0.3}, "
        + "\"batch\": {\"x\": [2.0], \"y\": [1.0]}}");
    assertEquals(0.6848601, j.at("/outputs/yhat/0").asDouble(), 5e-8);
    assertEquals(0.050, j.get("loss").asDouble(), 5e-4);
    assertEquals(-0.051, j.at("/gradients/W2/0").asDouble(), 5e-4);
    assertEquals(-0.021, j.at("/gradients/W2/1").asDouble(), 5e-4);
    assertEquals(-0.068, j.at("/gradients/b2").asDouble(), 5e-4);
    assertEquals(-0.0203905, j.at("/gradients/W1/0").asDouble(), 5e-8);
    assertEquals(0.0116394, j.at("/gradients/W1/1").asDouble(), 5e-8);
    assertEquals(-0.010, j.at("/gradients/b1/0").asDouble(), 5e-4);
    assertEquals(0.006, j.at("/gradients/b1/1").asDouble(), 5e-4);
  }

  @Test
  void batchOfTwoScalarsAndFullPrecision() throws IOException {
    JsonNode j = eval("examples/seeds/linear.grad",
        "{\"batch\": {\"x\": [2.0, 1.0], \"y\": [4.0, 0.1]}}");
    assertEquals(2, j.get("batch_size").asInt());
    assertEquals(2, j.at("/outputs/yhat").size());
    // mean of (4 - 1)^2 and (0.1 - 0.5)^2, printed so that it parses back exactly
    assertEquals((9.0 + (0.1 - 0.5) * (0.1 - 0.5)) / 2, j.get("loss").asDouble(), 0);
  }

  @Test
  void matrixShapesAndNames() throws IOException {
    JsonNode j = eval("examples/xor_layers.grad", "{\"params\": {\"h.W\": [[1, 2, 3, 4], "
        + "[5, 6, 7, 8]]}, \"batch\": {\"x\": [[0, 1], [1, 1]], \"y\": [[1], [0]]}}");
    assertEquals(2, j.at("/gradients/h.W").size());
    assertEquals(4, j.at("/gradients/h.W/0").size());
    assertEquals(1, j.at("/outputs/yhat/1").size());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"batch\": {\"x\": [2.0], \"y\": [4.0]|:1:34: invalid JSON",
      "[1, 2]|expected an object",
      "{\"batch\": {\"x\": [2.0], \"y\": [4.0]}, \"extra\": 1}|extra: unknown field",
      "{\"params\": {\"v\": 1}, \"batch\": {\"x\": [2.0], \"y\": [4.0]}}|params.v: no parameter 'v'",
      "{\"params\": {\"w\": [1, 2]}, \"batch\": {\"x\": [2.0], \"y\": [4.0]}}|params.w: expected a number",
      "{\"batch\": {\"x\": [2.0]}}|batch.y: missing",
      "{\"batch\": {\"x\": [2.0, 3.0], \"y\": [4.0]}}|batch.y: has 1 examples, but batch.x has 2",
      "{\"batch\": {\"x\": [\"a\"], \"y\": [4.0]}}|batch.x[0]: expected a number",
      "{\"batch\": {\"z\": [1], \"x\": [2.0], \"y\": [4.0]}}|batch.z: no input or target 'z'",
      "{\"params\": {}}|batch: missing",
      "{\"direction\": {\"v\": 1}, \"batch\": {\"x\": [2.0], \"y\": [4.0]}}|direction.v: no parameter 'v'",
      "{\"direction\": {\"w\": [1, 2]}, \"batch\": {\"x\": [2.0], \"y\": [4.0]}}|direction.w: expected a number",
      "{\"direction\": 3, \"batch\": {\"x\": [2.0], \"y\": [4.0]}}|direction: expected an object",
  })
  void badValuesNameTheFieldAndExitOne(String json, String message) throws IOException {
    Path v = dir.resolve("bad.json");
    Files.writeString(v, json);
    Cli.Run r = Cli.run("eval", "examples/seeds/linear.grad", "--values", v.toString());
    assertEquals(1, r.status());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("gradc: error: " + v + ":"), r.err());
    assertTrue(r.err().contains(message), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace");
    assertFalse(r.err().contains("Exception"), r.err());
  }

  @Test
  void wrongMatrixRowIsNamed() throws IOException {
    Path v = dir.resolve("bad.json");
    Files.writeString(v, "{\"params\": {\"W1\": [[1, 2, 3, 4], [5, 6, 7]]}, "
        + "\"batch\": {\"x\": [[0, 1]], \"y\": [[1]]}}");
    Cli.Run r = Cli.run("eval", "examples/xor.grad", "--values", v.toString());
    assertEquals(1, r.status());
    assertTrue(r.err().contains("params.W1[1]: expected shape [2, 4], but row 1 has 3 values"),
        r.err());
  }

  @Test
  void missingValuesFile() {
    Cli.Run r = Cli.run("eval", "examples/xor.grad", "--values", dir.resolve("none.json").toString());
    assertEquals(1, r.status());
    assertTrue(r.err().contains("no such file"), r.err());
  }
}
