package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code gradc explain} against golden files, and the worked example of SPEC §5.3. */
class ExplainCommandTest {
  private static final String TWO_LAYER_VALUES = "tests/resources/explain/two_layer.json";

  @Test
  void twoLayerReproducesTheWorkedExample() throws IOException {
    Cli.Run run = Cli.run("explain", "examples/seeds/two_layer.grad", "--values", TWO_LAYER_VALUES);
    assertEquals(0, run.status(), run.err());
    assertEquals(Cli.golden(Path.of("tests/resources/explain/two_layer.txt"), run.out()),
        run.out());
    for (String s : new String[] {"h = [0.750, 0.310]", "yhat = 0.685", "loss = 0.050",
        "δ2 = -0.068", "dL/dW2 = [-0.051, -0.021]", "dL/db2 = -0.068",
        "dL/dW1 = [-0.020, 0.012]", "dL/db1 = [-0.010, 0.006]",
        "δ1 = (δ2 · W2) ⊙ σ'(z1)", "σ'(z1) = h ⊙ (1 − h)", "z1 = x · W1 + b1", "h = σ(z1)",
        "dL/dW2 = (1/B) Σ_b δ2 · h", "dL/db2 = (1/B) Σ_b δ2"}) {
      assertTrue(run.out().contains(s), "missing '" + s + "' in\n" + run.out());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"examples/xor.grad", "examples/xor_column.grad", "examples/mlp.grad",
      "examples/mlp_column.grad", "examples/swish.grad", "examples/seeds/neuron.grad",
      "examples/seeds/linear.grad", "tests/resources/explain/conv.grad"})
  void symbolicStoryMatchesGolden(String example) throws IOException {
    Cli.Run run = Cli.run("explain", example);
    assertEquals(0, run.status(), run.err());
    String name = Path.of(example).getFileName().toString().replace(".grad", ".txt");
    assertEquals(Cli.golden(Path.of("tests/resources/explain", name), run.out()), run.out());
  }

  @Test
  void convolutionsWithValuesMatchGolden() throws IOException {
    // every axis of the images and filters is shown, and the numbers are the gradient's
    Cli.Run run = Cli.run("explain", "tests/resources/explain/conv.grad", "--values",
        "tests/resources/explain/conv.json");
    assertEquals(0, run.status(), run.err());
    assertEquals(Cli.golden(Path.of("tests/resources/explain/conv_values.txt"), run.out()),
        run.out());
    Cli.Run eval = Cli.run("eval", "tests/resources/explain/conv.grad", "--values",
        "tests/resources/explain/conv.json");
    assertEquals(0, eval.status(), eval.err());
    // the compiled model's gradient, element (0, 0, 1, 0) of the filters: 0.0189
    assertTrue(eval.out().contains("[ 0.01889190036508533, 0.0, 0.0 ]"), eval.out());
    assertTrue(run.out().contains("→ dL/dc2.W = [[[[0.000, 0.000, 0.000], [0.019, 0.000, 0.000]"),
        run.out());
  }

  @Test
  void xorWithValuesMatchesGolden() throws IOException {
    Cli.Run run = Cli.run("explain", "examples/xor.grad", "--values",
        "tests/resources/explain/xor.json", "--markdown");
    assertEquals(0, run.status(), run.err());
    assertEquals(Cli.golden(Path.of("tests/resources/explain/xor_values_markdown.md"), run.out()), run.out());
  }

  @Test
  void badValuesAreUserErrors(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("v.json");
    Files.writeString(bad, "{\"params\": {\"W9\": 1}, \"batch\": {\"x\": [2], \"y\": [1]}}");
    Cli.Run run = Cli.run("explain", "examples/seeds/two_layer.grad", "--values", bad.toString());
    assertEquals(1, run.status());
    assertTrue(run.err().contains("no parameter 'W9'"), run.err());
    Files.writeString(bad, "{\"batch\": {\"x\": [[1, 2]], \"y\": [1]}}");
    run = Cli.run("explain", "examples/seeds/two_layer.grad", "--values", bad.toString());
    assertEquals(1, run.status());
    assertTrue(run.err().contains("batch.x[0]: expected a number"), run.err());
    Files.writeString(bad, "{\"batch\": {\"x\": [1, }");
    run = Cli.run("explain", "examples/seeds/two_layer.grad", "--values", bad.toString());
    assertEquals(1, run.status());
    assertTrue(run.err().contains("1:21"), run.err());
  }
}
