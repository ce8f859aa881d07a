package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gradc.Gradc;
import org.gradc.runtime.CompiledModel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs computed from targets (a residual {@code err = h - y}) use the real targets in
 * {@code eval}, {@code predict} and the Java API; they were once computed as if every target were 0.
 */
class OutputsFromTargetsTest {
  static final String OUTS = """
      model Outs {
        input  x[2]
        target y[2]
        param  W[2, 2] = [[0.5, -0.2], [0.3, 0.8]]
        h = tanh(x @ W)
        err = h - y
        output h, err
        loss   sum(err * err)
      }
      """;
  static final double[] X = {1.0, 2.0, 0.5, -1.0};
  static final double[] Y = {0.1, 0.2, 0.3, 0.4};

  @TempDir
  Path dir;
  Path model;

  @BeforeEach
  void write() throws IOException {
    model = dir.resolve("outs.grad");
    Files.writeString(model, OUTS);
  }

  /** h and h - y by hand: h = tanh(x W) per example. */
  static double[] expected() {
    double[] out = new double[8];
    double[][] w = {{0.5, -0.2}, {0.3, 0.8}};
    for (int e = 0; e < 2; e++) {
      for (int j = 0; j < 2; j++) {
        double h = Math.tanh(X[2 * e] * w[0][j] + X[2 * e + 1] * w[1][j]);
        out[4 * e + j] = h;
        out[4 * e + 2 + j] = h - Y[2 * e + j];
      }
    }
    return out;
  }

  @Test
  void evalPrintsTheResidualAgainstTheTargets() throws IOException {
    Path v = dir.resolve("v.json");
    Files.writeString(v, "{\"params\": {}, \"batch\": {\"x\": [[1.0, 2.0], [0.5, -1.0]],"
        + " \"y\": [[0.1, 0.2], [0.3, 0.4]]}}");
    Cli.Run r = Cli.run("eval", model.toString(), "--values", v.toString());
    assertEquals(0, r.status(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    double[] want = expected();
    for (int e = 0; e < 2; e++) {
      for (int i = 0; i < 2; i++) {
        assertEquals(want[4 * e + i], j.at("/outputs/h/" + e + "/" + i).asDouble(), 1e-15);
        assertEquals(want[4 * e + 2 + i], j.at("/outputs/err/" + e + "/" + i).asDouble(), 1e-15);
      }
    }
    assertEquals(0.7004990217606297, j.at("/outputs/err/0/0").asDouble(), 1e-15);
    assertEquals(-1.1162978701990245, j.at("/outputs/err/1/1").asDouble(), 1e-15);
  }

  @Test
  void predictReadsTargetColumnsAndRefusesDataWithout() throws IOException {
    Path params = dir.resolve("p.json");
    Files.writeString(params, "{\"W\": [[0.5, -0.2], [0.3, 0.8]]}");
    Path data = dir.resolve("d.csv");
    Files.writeString(data, "x[0],x[1],y[0],y[1]\n1,2,0.1,0.2\n0.5,-1,0.3,0.4\n");
    Cli.Run r = Cli.run("predict", model.toString(), "--params", params.toString(), "--data",
        data.toString());
    assertEquals(0, r.status(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("h[0],h[1],err[0],err[1]", lines.get(0));
    double[] want = expected();
    for (int e = 0; e < 2; e++) {
      String[] f = lines.get(e + 1).split(",");
      for (int i = 0; i < 4; i++) {
        assertEquals(want[4 * e + i], Double.parseDouble(f[i]), 1e-15, lines.get(e + 1));
      }
    }

    Path inputsOnly = dir.resolve("x.csv");
    Files.writeString(inputsOnly, "x[0],x[1]\n1,2\n");
    Cli.Run missing = Cli.run("predict", model.toString(), "--params", params.toString(), "--data",
        inputsOnly.toString());
    assertEquals(1, missing.status());
    assertEquals("", missing.out());
    assertEquals("gradc: error: " + inputsOnly + ": output 'err' is computed from targets: add the"
        + " columns y[0], y[1]\n", missing.err());
  }

  @Test
  void theApiTakesTargetsAndNamesTheOutputWithout() {
    CompiledModel m = Gradc.compile(OUTS);
    assertTrue(m.predictReadsTargets());
    assertEquals(List.of("y"), m.targetsReadBy("err"));
    assertEquals(List.of(), m.targetsReadBy("h"));
    double[] theta = m.initialParameters(1);
    assertArrayEquals(expected(), m.predict(theta, X, Y, 2), 1e-15);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.predict(theta, X, 2));
    assertEquals("output 'err' is computed from target 'y': pass the targets to predict",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> m.targetsReadBy("nope"));

    CompiledModel plain = Gradc.compile(OUTS.replace("output h, err", "output h"));
    assertFalse(plain.predictReadsTargets());
    double[] h = plain.predict(theta, X, 2);
    assertArrayEquals(new double[] {expected()[0], expected()[1], expected()[4], expected()[5]}, h,
        1e-15);
  }
}
