package org.gradc.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gradc.Gradc;
import org.gradc.codegen.ModelCompiler;
import org.gradc.diff.Gradients;
import org.gradc.explain.Explanation.Step;
import org.gradc.ir.Evaluator;
import org.gradc.ir.Node;
import org.gradc.runtime.CompiledModel;
import org.gradc.sema.CheckedModel;
import org.gradc.simplify.Simplifier;
import org.gradc.train.DataException;
import org.gradc.train.ValuesFile;
import org.junit.jupiter.api.Test;

/** The Markdown story: balanced math, and every printed number is the reference evaluator's. */
class ExplainMarkdownTest {

  private static CheckedModel model(String file) throws IOException, DataException {
    return Gradc.check(Gradc.read(Path.of(file))).models().get(0);
  }

  private static Gradients gradients(CheckedModel m) {
    return Simplifier.gradients(m.graph(), m.loss(),
        m.params().stream().map(CheckedModel.Param::node).toList());
  }

  private static String round(double x) {
    String s = String.format(Locale.ROOT, "%.3f", x);
    return s.equals("-0.000") ? "0.000" : s;
  }

  /** The numbers of a printed value, in order. */
  private static List<String> numbers(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("-?\\d+\\.\\d+").matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  @Test
  void everyNumberIsTheEvaluatorsAndMathIsBalanced() throws IOException, DataException {
    CheckedModel m = model("examples/xor.grad");
    Gradients grads = gradients(m);
    Values values = values(m, Files.readString(Path.of("tests/resources/explain/xor.json")));
    Explanation ex = Explainer.explain(m, grads, values);
    String md = StoryWriter.markdown(ex);

    for (String line : md.split("\n")) {
      String outside = line.replaceAll("`[^`]*`", "");
      assertEquals(0, outside.replace("\\$", "").chars().filter(c -> c == '$').count() % 2,
          "unbalanced $ in: " + line);
      Matcher math = Pattern.compile("\\$([^$]*)\\$").matcher(outside);
      while (math.find()) {
        String body = math.group(1);
        assertTrue(!body.isBlank(), line);
        int depth = 0;
        for (char c : body.toCharArray()) {
          depth += c == '{' ? 1 : c == '}' ? -1 : 0;
          assertTrue(depth >= 0, "unbalanced braces in " + body);
        }
        assertEquals(0, depth, "unbalanced braces in " + body);
        assertEquals(count(body, "\\left("), count(body, "\\right)"), body);
        assertTrue(body.chars().noneMatch(c -> "δσ⊙·ᵀΣ∂−".indexOf(c) >= 0), "Unicode in " + body);
      }
    }

    // expected values: the reference evaluator on the model's own nodes, computed here
    Evaluator ev = new Evaluator(values.batchSize(), values.leaves());
    Map<String, double[]> expected = new HashMap<>();
    for (CheckedModel.Value v : m.intermediates()) {
      expected.put(v.name(), first(ev.value(v.node()), v.node()));
    }
    expected.put("loss", first(ev.value(m.loss()), m.loss()));
    expected.put("L", ev.value(grads.objective()));
    grads.gradients().forEach((p, g) -> expected.put("dL/d" + p.name(), ev.value(g)));
    // error signals and pre-activations: the nodes the story names, evaluated afresh
    for (Explanation.Section s : ex.sections()) {
      for (Step st : s.steps()) {
        expected.putIfAbsent(st.name(), first(ev.value(st.node()), st.node()));
        for (Step w : st.where()) {
          expected.putIfAbsent(w.name(), first(ev.value(w.node()), w.node()));
        }
      }
    }

    Matcher shown = Pattern.compile("(?m)(?:^  - |: )`([^`=]+) = ([^`]+)`").matcher(md);
    int checked = 0;
    while (shown.find()) {
      String name = shown.group(1);
      double[] want = expected.get(name);
      assertTrue(want != null, "no reference value for " + name);
      List<String> got = numbers(shown.group(2));
      assertEquals(Math.min(want.length, 8), got.size(), name);
      for (int i = 0; i < got.size(); i++) {
        assertEquals(round(want[i]), got.get(i), name + "[" + i + "]");
      }
      checked++;
    }
    // z1, h, z2, yhat, loss, L, ∂loss/∂yhat, δ2, σ'(z2), δ1, σ'(z1), four gradients
    assertEquals(15, checked, md);
  }

  @Test
  void errorSignalsAreTheDerivativesOfTheLoss() throws IOException, DataException {
    // δ2 of the worked example equals a central difference of the loss in z2
    CheckedModel m = model("examples/seeds/two_layer.grad");
    Values values = values(m, Files.readString(Path.of("tests/resources/explain/two_layer.json")));
    Explanation ex = Explainer.explain(m, gradients(m), values);
    Step d2 = ex.sections().get(2).steps().stream().filter(s -> s.name().equals("δ2")).findFirst()
        .orElseThrow();
    Map<String, double[]> leaves = new HashMap<>(values.leaves());
    double eps = 1e-6;
    double[] b2 = leaves.get("b2");
    leaves.put("b2", new double[] {b2[0] + eps});
    double up = new Evaluator(1, leaves).value(m.loss())[0];
    leaves.put("b2", new double[] {b2[0] - eps});
    double down = new Evaluator(1, leaves).value(m.loss())[0];
    assertEquals((up - down) / (2 * eps), d2.value()[0], 1e-8);
    assertEquals("-0.068", StoryWriter.num(d2.value()[0]));
  }

  @Test
  void unlistedParamsTakeTheirDeclaredValues() throws IOException, DataException {
    CheckedModel m = model("examples/seeds/two_layer.grad");
    Values v = values(m, "{\"batch\": {\"x\": [2, 1], \"y\": [1, 0]}}");
    assertEquals(2, v.batchSize());
    assertTrue(Arrays.equals(new double[] {0.5, -0.3}, v.leaves().get("W1")));
    assertTrue(Arrays.equals(new double[] {2, 1}, v.leaves().get("x")));
  }

  /** Values read the way the command line reads them: the values file over the compiled model. */
  private static Values values(CheckedModel m, String json) throws IOException, DataException {
    Path file = Files.createTempFile("values", ".json");
    try {
      Files.writeString(file, json);
      CompiledModel compiled = ModelCompiler.compile(m);
      ValuesFile.Values v = ValuesFile.read(file, compiled, 42);
      return new Values(v.batchSize(), v.leaves(compiled));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static double[] first(double[] all, Node n) {
    return n.batched() ? Arrays.copyOf(all, n.shape().size()) : all;
  }

  private static int count(String s, String sub) {
    return s.split(Pattern.quote(sub), -1).length - 1;
  }
}
