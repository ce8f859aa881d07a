package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gradc predict} through {@link Main#run}. */
class PredictCommandTest {
  @TempDir
  Path dir;

  @Test
  void predictsFromSavedParametersWithOrWithoutTargets() throws IOException {
    Path params = dir.resolve("xor.json");
    Cli.Run t = Cli.run("train", "examples/xor.grad", "--data", "examples/data/xor.csv", "--quiet",
        "--save", params.toString());
    assertEquals(0, t.status(), t::toString);
    Cli.Run r = Cli.run("predict", "examples/xor.grad", "--params", params.toString(), "--data",
        "examples/data/xor.csv");
    assertEquals(0, r.status(), r::toString);
    assertEquals("", r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("yhat[0]", lines.get(0));
    assertEquals(5, lines.size());
    double[] expected = {0, 1, 1, 0};
    for (int i = 0; i < 4; i++) {
      assertEquals(expected[i], Math.rint(Double.parseDouble(lines.get(i + 1))), r.out());
    }
    Path inputsOnly = dir.resolve("in.csv");
    Files.writeString(inputsOnly, "x[1],x[0]\n1,0\n");
    Cli.Run r2 = Cli.run("predict", "examples/xor.grad", "--params", params.toString(), "--data",
        inputsOnly.toString());
    assertEquals(0, r2.status(), r2::toString);
    assertEquals(lines.get(2), r2.out().lines().toList().get(1));
  }

  @Test
  void scalarOutputColumnAndLiteralParameters() throws IOException {
    Path params = dir.resolve("lin.json");
    Files.writeString(params, "{\"w\": 1.7}");
    Path data = dir.resolve("x.csv");
    Files.writeString(data, "x\n2\n-1\n");
    Cli.Run r = Cli.run("predict", "examples/seeds/linear.grad", "--params", params.toString(), "--data",
        data.toString());
    assertEquals(0, r.status(), r::toString);
    assertEquals("yhat\n3.4\n-1.7\n", r.out());
  }

  @Test
  void badParamsAndBadData() throws IOException {
    Path params = dir.resolve("bad.json");
    Files.writeString(params, "{\"w\": [1, 2]}");
    Cli.Run r = Cli.run("predict", "examples/seeds/linear.grad", "--params", params.toString(), "--data",
        "examples/data/xor.csv");
    assertEquals(1, r.status(), r::toString);
    assertEquals("gradc: error: " + params + ": w: expected a number (a scalar), but got an array of 2\n", r.err());
    Files.writeString(params, "{\"w\": 2}");
    Cli.Run d = Cli.run("predict", "examples/seeds/linear.grad", "--params", params.toString(), "--data",
        "examples/data/xor.csv");
    assertEquals(1, d.status(), d::toString);
    assertTrue(d.err().startsWith("gradc: error: examples/data/xor.csv:1:4: missing column 'x' for input x[]"),
        d.err());
    assertEquals("", d.out());
  }
}
