package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code gradc grad} against golden files; {@code gradc graph} produces well-formed DOT. */
class GradCommandTest {

  @ParameterizedTest
  @ValueSource(strings = {"examples/xor.grad", "examples/xor_column.grad",
      "examples/seeds/neuron.grad", "examples/seeds/linear.grad", "examples/seeds/two_layer.grad",
      "examples/mlp.grad", "examples/mlp_column.grad", "tests/resources/explain/conv.grad"})
  void gradMatchesGolden(String example) throws IOException {
    Cli.Run run = Cli.run("grad", example);
    assertEquals(0, run.status(), run.err());
    String name = Path.of(example).getFileName().toString().replace(".grad", ".txt");
    assertEquals(Cli.golden(Path.of("tests/resources/grad", name), run.out()), run.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"check", "grad", "explain", "emit", "eval", "gradcheck", "train", "predict", "graph"})
  void everyCommandHasHelp(String command) {
    Cli.Run run = Cli.run(command, "--help");
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().startsWith("Usage: gradc " + command), run.out());
  }

  @Test
  void latexUsesCommands() {
    Cli.Run run = Cli.run("grad", "examples/xor.grad", "--latex");
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().contains("\\delta"), run.out());
    assertTrue(!run.out().contains("δ"), run.out());
  }

  @Test
  void gradReportsSourceErrors() {
    Cli.Run run = Cli.run("grad", "tests/resources/errors/matmul_inner_dimensions.grad");
    assertEquals(1, run.status());
    assertTrue(run.err().contains("inner dimensions"), run.err());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void graphIsWellFormedDot(boolean backward) {
    Cli.Run run = backward ? Cli.run("graph", "examples/xor.grad", "--backward")
        : Cli.run("graph", "examples/xor.grad");
    assertEquals(0, run.status(), run.err());
    assertWellFormedDot(run.out());
    assertEquals(backward, run.out().contains("dL/dW1"), run.out());
  }

  /** One digraph, balanced braces and quotes, and every edge between declared nodes. */
  static void assertWellFormedDot(String dot) {
    assertTrue(dot.startsWith("digraph "), dot);
    assertTrue(dot.strip().endsWith("}"), dot);
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < dot.length(); i++) {
      char c = dot.charAt(i);
      if (c == '\\' && inString) {
        i++;
      } else if (c == '"') {
        inString = !inString;
      } else if (!inString && c == '{') {
        depth++;
      } else if (!inString && c == '}') {
        depth--;
      }
      assertTrue(depth >= 0, "unbalanced braces");
    }
    assertEquals(0, depth, "unbalanced braces");
    assertTrue(!inString, "unterminated string");
    Set<String> declared = new HashSet<>();
    Matcher node = Pattern.compile("(?m)^\\s*(\\w+) \\[").matcher(dot);
    while (node.find()) {
      declared.add(node.group(1));
    }
    Matcher edge = Pattern.compile("(?m)^\\s*(\\w+) -> (\\w+)").matcher(dot);
    int edges = 0;
    while (edge.find()) {
      edges++;
      assertTrue(declared.contains(edge.group(1)) && declared.contains(edge.group(2)), edge.group());
    }
    assertTrue(edges > 0, dot);
  }
}
