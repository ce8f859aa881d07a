package org.gradc.sema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.gradc.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example checks; three of them print exactly their expected summary. */
class CheckExamplesTest {

  static Cli.Run check(String... args) {
    return Cli.run(Stream.concat(Stream.of("check"), Stream.of(args)).toArray(String[]::new));
  }

  static Stream<Path> examples() {
    return org.gradc.Examples.files().stream();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyExampleChecks(Path example) {
    Cli.Run run = check(example.toString());
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().startsWith("model "), run.out());
    assertTrue(run.out().contains("  parameters    "), run.out());
  }

  @ParameterizedTest
  @CsvSource({"examples/xor.grad, xor", "examples/seeds/two_layer.grad, two_layer", "examples/mlp.grad, mlp"})
  void summaryMatchesExpected(String example, String expected) throws IOException {
    String out = check(example).out();
    assertEquals(Cli.golden(Path.of("tests/resources/check/" + expected + ".txt"), out), out);
  }

  @ParameterizedTest
  @CsvSource({"examples/xor.grad, 17", "examples/xor_layers.grad, 17", "examples/mlp.grad, 101770",
      "examples/deep_narrow.grad, 66625", "examples/swish.grad, 50", "examples/keywords.grad, 17",
      "examples/seeds/neuron.grad, 2", "examples/seeds/linear.grad, 1", "examples/seeds/two_layer.grad, 7"})
  void parameterCounts(String example, int count) {
    assertTrue(check(example).out().contains("  parameters    " + count + "\n"), example);
  }

  @Test
  void deepNarrowShapes() {
    String out = check("examples/deep_narrow.grad").out();
    assertTrue(out.contains("h16.W [64, 64]  xavier\n"), out);
    assertTrue(out.contains("out.W [64, 1]   xavier\n"), out);
    assertTrue(out.contains("                out [1]\n"), out);
  }

  @Test
  void javaKeywordsAreLegalNames() {
    Cli.Run run = check("examples/keywords.grad");
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().contains("model class"), run.out());
  }

  @Test
  void modelSelection() {
    assertEquals(1, check("examples/xor.grad", "--model", "Nope").status());
    assertTrue(check("examples/xor.grad", "--model", "Nope").err().contains("no model 'Nope'"));
    assertEquals(0, check("examples/xor.grad", "--model", "Xor").status());
  }

  @Test
  void aByteOrderMarkIsNotPartOfTheSource(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path file = dir.resolve("bom.grad");
    Files.write(file, ("\uFEFFmodel M { param w = 1 loss w * w }").getBytes(StandardCharsets.UTF_8));
    Cli.Run run = check(file.toString());
    assertEquals(0, run.status(), run.err());
  }

  @Test
  void missingFileIsAUserError() {
    Cli.Run run = check("does/not/exist.grad");
    assertEquals(1, run.status());
    assertTrue(run.err().contains("cannot read 'does/not/exist.grad'"), run.err());
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(2, check().status());
    assertEquals(2, check("a.grad", "--bogus").status());
  }
}
