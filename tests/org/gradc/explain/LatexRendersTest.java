package org.gradc.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gradc.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scilab.forge.jlatexmath.TeXConstants;
import org.scilab.forge.jlatexmath.TeXFormula;

/**
 * The LaTeX of {@code gradc grad --latex} and {@code gradc explain --markdown} is real TeX math:
 * golden files for the seed networks, and every formula in every LaTeX golden parses and lays out
 * with JLaTeXMath.
 */
class LatexRendersTest {
  private static final Path GRAD = Path.of("tests/resources/grad");
  private static final Path EXPLAIN = Path.of("tests/resources/explain");
  private static final Pattern INLINE = Pattern.compile("\\$([^$`]+)\\$");

  @ParameterizedTest
  @ValueSource(strings = {"examples/xor.grad", "examples/xor_column.grad",
      "examples/seeds/neuron.grad", "examples/seeds/linear.grad", "examples/seeds/two_layer.grad",
      "examples/mlp.grad", "examples/mlp_column.grad", "tests/resources/explain/conv.grad"})
  void latexMatchesGolden(String example) throws IOException {
    String base = Path.of(example).getFileName().toString().replace(".grad", "");
    Cli.Run grad = Cli.run("grad", example, "--latex");
    assertEquals(0, grad.status(), grad.err());
    assertEquals(Cli.golden(GRAD.resolve(base + ".tex"), grad.out()), grad.out());
    Cli.Run md = Cli.run("explain", example, "--markdown");
    assertEquals(0, md.status(), md.err());
    assertEquals(Cli.golden(EXPLAIN.resolve(base + "_markdown.md"), md.out()), md.out());
  }

  @Test
  void everyGoldenFormulaRenders() throws IOException {
    List<String> formulas = new ArrayList<>();
    for (Path p : goldens(GRAD, ".tex")) {
      List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
      formulas.addAll(lines.subList(1, lines.size())); // after the "model M (file)" line
    }
    for (Path p : goldens(EXPLAIN, "_markdown")) {
      Matcher m = INLINE.matcher(Files.readString(p, StandardCharsets.UTF_8));
      while (m.find()) {
        formulas.add(m.group(1));
      }
    }
    assertTrue(formulas.size() > 100, formulas.size() + " formulas");
    List<String> failed = new ArrayList<>();
    for (String f : formulas) {
      // JLaTeXMath forgives a missing brace, which TeX does not
      String plain = f.replace("\\{", "").replace("\\}", "");
      long open = plain.chars().filter(c -> c == '{').count();
      if (open != plain.chars().filter(c -> c == '}').count()
          || f.split("\\\\left", -1).length != f.split("\\\\right", -1).length) {
        failed.add(f + "  (unbalanced)");
        continue;
      }
      try {
        TeXFormula tex = new TeXFormula(f);
        assertTrue(tex.createTeXIcon(TeXConstants.STYLE_DISPLAY, 20).getIconWidth() > 0, f);
      } catch (RuntimeException e) {
        failed.add(f + "  (" + e.getMessage() + ")");
      }
    }
    assertEquals(List.of(), failed);
  }

  @Test
  void namesAreTypesetAsNames() {
    assertEquals("W_{1}", Explainer.texIdent("W1"));
    assertEquals("\\hat{y}", Explainer.texIdent("yhat"));
    assertEquals("x", Explainer.texIdent("x"));
    assertEquals("\\mathrm{probs}", Explainer.texIdent("probs"));
    assertEquals("\\mathrm{h.W}", Explainer.texIdent("h.W"));
    assertEquals("\\mathrm{my\\_w}", Explainer.texIdent("my_w"));
  }

  private static List<Path> goldens(Path dir, String part) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().contains(part)).sorted().toList();
    }
  }
}
