package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code gradc values}: a template that eval and explain accept unchanged; explain --example. */
class ValuesCommandTest {
  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void xorTemplateHasInitialParametersAndOneExampleOfZeros() throws IOException {
    Cli.Run r = Cli.run("values", "examples/xor.grad");
    assertEquals(0, r.status(), r::toString);
    assertEquals("", r.err());
    assertEquals(Cli.golden(Path.of("tests/resources/values/xor.json"), r.out()), r.out());
    assertTrue(r.out().contains("\"b1\" : [ 0.0, 0.0, 0.0, 0.0 ]"), r.out());
    assertTrue(r.out().contains("\"x\" : [ [ 0.0, 0.0 ] ],\n    \"y\" : [ [ 0.0 ] ]"), r.out());
    // the random initializer is drawn with --seed, so another seed gives other weights
    assertNotEquals(r.out(), Cli.run("values", "examples/xor.grad", "--seed", "7").out());
  }

  /** Eval of the template equals eval of the same batch with every parameter left out. */
  @ParameterizedTest
  @ValueSource(strings = {"examples/xor.grad", "examples/xor_layers.grad", "examples/mlp.grad",
      "examples/iris.grad", "examples/swish.grad", "examples/seeds/two_layer.grad"})
  void evalAndExplainAcceptTheTemplateUnchanged(String example) throws IOException {
    Path v = dir.resolve("v.json");
    Cli.Run made = Cli.run("values", example, "-o", v.toString());
    assertEquals(0, made.status(), made::toString);
    assertEquals("wrote " + v + "\n", made.err());
    assertEquals("", made.out());
    String template = Files.readString(v);
    Cli.Run eval = Cli.run("eval", example, "--values", v.toString());
    assertEquals(0, eval.status(), eval::toString);
    assertTrue(eval.out().contains("\"batch_size\" : 1,"), eval.out());
    String batchOnly = "{\"batch\"" + template.substring(template.indexOf(": {", template.indexOf("\"batch\"")));
    Cli.Run declared = Cli.run("eval", example, "--values", write("b.json", batchOnly).toString());
    assertEquals(0, declared.status(), declared::toString);
    assertEquals(declared.out(), eval.out());
    Cli.Run explain = Cli.run("explain", example, "--values", v.toString());
    assertEquals(0, explain.status(), explain::toString);
    assertTrue(explain.out().contains("Numbers for the batch of one example"), explain.out());
  }

  @Test
  void explainShowsTheChosenExample() throws IOException {
    Path both = write("both.json", "{\"batch\": {\"x\": [[0, 0], [1, 0]], \"y\": [[0], [1]]}}");
    Path second = write("second.json", "{\"batch\": {\"x\": [[1, 0]], \"y\": [[1]]}}");
    Cli.Run chosen = Cli.run("explain", "examples/xor.grad", "--values", both.toString(), "--example", "1");
    assertEquals(0, chosen.status(), chosen::toString);
    assertTrue(chosen.out().contains("Numbers for example 1 (counted from 0) of the 2 examples"), chosen.out());
    Cli.Run alone = Cli.run("explain", "examples/xor.grad", "--values", second.toString());
    Cli.Run first = Cli.run("explain", "examples/xor.grad", "--values", both.toString());
    // per-example numbers (forward pass and error signals) are those of the example alone
    List<String> shown = perExample(chosen.out());
    assertTrue(shown.size() >= 8, chosen.out());
    assertEquals(perExample(alone.out()), shown);
    assertNotEquals(perExample(first.out()), shown);
    assertEquals(first.out(), Cli.run("explain", "examples/xor.grad", "--values", both.toString(),
        "--example", "0").out());
  }

  @Test
  void badExampleNumbers() throws IOException {
    Path both = write("both.json", "{\"batch\": {\"x\": [[0, 0], [1, 0]], \"y\": [[0], [1]]}}");
    Cli.Run past = Cli.run("explain", "examples/xor.grad", "--values", both.toString(), "--example", "2");
    assertEquals(1, past.status(), past::toString);
    assertEquals("gradc: error: --example 2: " + both + " has 2 examples (0 to 1)\n", past.err());
    Cli.Run negative = Cli.run("explain", "examples/xor.grad", "--values", both.toString(), "--example", "-1");
    assertEquals(2, negative.status(), negative::toString);
    assertEquals("gradc: error: --example must be 0 or more, not -1 (see gradc explain --help)\n",
        negative.err());
    Cli.Run alone = Cli.run("explain", "examples/xor.grad", "--example", "1");
    assertEquals(2, alone.status(), alone::toString);
    assertEquals("gradc: error: --example needs --values V.json (see gradc explain --help)\n",
        alone.err());
  }

  @Test
  void unwritableOutputIsAUserError() {
    Path target = dir.resolve("missing").resolve("v.json");
    Cli.Run r = Cli.run("values", "examples/xor.grad", "-o", target.toString());
    assertEquals(1, r.status(), r::toString);
    assertTrue(r.err().startsWith("gradc: error: cannot write '" + target + "': "), r.err());
  }

  /** The value lines of the forward pass and the error signals (each "→ name = …"). */
  private static List<String> perExample(String story) {
    String part = story.substring(story.indexOf("1. Forward pass"), story.indexOf("4. "));
    return part.lines().filter(l -> l.contains("→") && !l.contains("→ L =")).toList();
  }
}
