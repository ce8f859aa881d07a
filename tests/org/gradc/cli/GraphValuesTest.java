package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code gradc graph --values}: every node's value and gradient for one example, in the story's
 * names, against golden files; drawing through Graphviz's {@code dot}, present or not.
 */
class GraphValuesTest {

  @ParameterizedTest
  @CsvSource({
      "examples/seeds/two_layer.grad, tests/resources/explain/two_layer.json",
      "examples/seeds/neuron.grad, tests/resources/graph/neuron.json",
      "examples/seeds/linear.grad, tests/resources/graph/linear.json",
      "examples/xor.grad, tests/resources/explain/xor.json",
      "examples/xor_column.grad, tests/resources/graph/xor_column.json",
      "examples/mlp.grad, tests/resources/graph/mnist_one.json",
      "examples/mlp_column.grad, tests/resources/graph/mnist_one.json"})
  void valuesGraphMatchesGolden(String example, String values) throws IOException {
    Cli.Run run = Cli.run("graph", example, "--values", values);
    assertEquals(0, run.status(), run.err());
    GradCommandTest.assertWellFormedDot(run.out());
    String name = Path.of(example).getFileName().toString().replace(".grad", ".dot");
    assertEquals(Cli.golden(Path.of("tests/resources/graph", name), run.out()), run.out());
    assertTrue(run.out().contains("legend_values"), run.out());
  }

  @Test
  void twoLayerShowsTheWorkedExample() {
    Cli.Run run = Cli.run("graph", "examples/seeds/two_layer.grad", "--values",
        "tests/resources/explain/two_layer.json");
    assertEquals(0, run.status(), run.err());
    for (String s : new String[] {"{h = sigmoid\\n[2] ×B|data [0.750, 0.310]|",
        "{yhat = sigmoid\\n[] ×B|data 0.685|grad ∂loss/∂yhat = -0.315}",
        "{z2 = +\\n[] ×B|data 0.776|grad δ2 = -0.068}", "|grad δ1 = [-0.010, 0.006]}",
        "|grad dL/dW2 = [-0.051, -0.021]}", "|grad dL/db2 = -0.068}",
        "|grad dL/dW1 = [-0.020, 0.012]}", "{loss = *\\n[] ×B|data 0.050|"}) {
      assertTrue(run.out().contains(s), "missing '" + s + "' in\n" + run.out());
    }
  }

  @Test
  void backwardNodesAreDrawnApartWithTheirDeltaNames() {
    Cli.Run run = Cli.run("graph", "examples/xor_column.grad", "--backward", "--values",
        "tests/resources/graph/xor_column.json");
    assertEquals(0, run.status(), run.err());
    GradCommandTest.assertWellFormedDot(run.out());
    String backwardNode = "[shape=box, style=\"dashed,filled\", fillcolor=\"#dde8f6\","
        + " color=\"#3366aa\", label=\"";
    for (String s : new String[] {backwardNode + "δ2 = *", backwardNode + "δ1 = *",
        backwardNode + "σ'(z1) = *", backwardNode + "dL/dW1 = /", "legend_backward"}) {
      assertTrue(run.out().contains(s), "missing '" + s + "' in\n" + run.out());
    }
    // the same names as gradc grad prints
    Cli.Run grad = Cli.run("grad", "examples/xor_column.grad");
    assertTrue(grad.out().contains("δ1 = (W2ᵀ · δ2) ⊙ σ'(z1)\n"), grad.out());
  }

  @Test
  void withoutDotTheErrorNamesThePackage(@TempDir Path dir) {
    assertEquals(Optional.empty(), Graphviz.find(dir.toString()));
    assertEquals(Optional.empty(), Graphviz.find(null));
    SourceLoader.UserError e = org.junit.jupiter.api.Assertions.assertThrows(
        SourceLoader.UserError.class, () -> Graphviz.render(Optional.empty(), "digraph g {}",
            "svg", dir.resolve("g.svg"), "--svg"));
    assertTrue(e.getMessage().contains("install the package 'graphviz'"), e.getMessage());
    assertTrue(e.getMessage().startsWith("--svg needs Graphviz's 'dot' program"), e.getMessage());
    assertTrue(!Files.exists(dir.resolve("g.svg")));
  }

  @Test
  void withDotOnThePathTheDrawingIsWritten(@TempDir Path dir) throws Exception {
    // a stand-in for dot that copies its input to the -o file, so the test needs no Graphviz
    Path fake = dir.resolve("dot");
    Files.writeString(fake, "#!/bin/sh\n[ \"$1\" = -Tsvg ] || exit 3\ncat > \"$3\"\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    Optional<Path> found = Graphviz.find("/nonexistent" + java.io.File.pathSeparator + dir);
    assertEquals(Optional.of(fake), found);
    Path out = dir.resolve("g.svg");
    Graphviz.render(found, "digraph g {}\n", "svg", out, "--svg");
    assertEquals("digraph g {}\n", Files.readString(out, StandardCharsets.UTF_8));
    SourceLoader.UserError e = org.junit.jupiter.api.Assertions.assertThrows(
        SourceLoader.UserError.class, () -> Graphviz.render(found, "digraph g {}", "png",
            dir.resolve("g.png"), "--png"));
    assertTrue(e.getMessage().contains("exit 3"), e.getMessage());
  }

  @Test
  void realGraphvizDrawsSvgWhenInstalled(@TempDir Path dir) throws IOException {
    assumeTrue(Graphviz.find(System.getenv("PATH")).isPresent(), "Graphviz is not installed");
    Path svg = dir.resolve("two_layer.svg");
    Cli.Run run = Cli.run("graph", "examples/seeds/two_layer.grad", "--values",
        "tests/resources/explain/two_layer.json", "--svg", svg.toString());
    assertEquals(0, run.status(), run.err());
    assertEquals("", run.out());
    String text = Files.readString(svg, StandardCharsets.UTF_8);
    assertTrue(text.contains("<svg") && text.contains("0.750"), text);
  }
}
