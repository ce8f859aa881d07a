package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code gradc grad} and {@code gradc explain} tell one story: every line {@code grad} prints is a
 * line of {@code explain}, with the same name and the same text, in the model's own convention.
 */
class ViewsAgreeTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "examples/xor.grad | δ1 = (δ2 · W2ᵀ) ⊙ σ'(z1)",
      "examples/xor_column.grad | δ1 = (W2ᵀ · δ2) ⊙ σ'(z1)",
      "examples/mlp.grad | δ1 = (δ2 · logits.Wᵀ) ⊙ relu'(z1)",
      "examples/mlp_column.grad | δ1 = (W2ᵀ · δ2) ⊙ relu'(z1)",
      "examples/seeds/two_layer.grad | δ1 = (δ2 · W2) ⊙ σ'(z1)",
      "examples/seeds/neuron.grad | δ1 = ∂loss/∂yhat · σ'(z1)",
      "examples/seeds/linear.grad | δ1 = −2 · (y − yhat)",
      "tests/resources/explain/conv.grad | δ1 = (c2.Wᵀ ⋆[stride=2, padding=1] δ2) ⊙ relu'(z1)",
      "examples/digits.grad | dL/dc.W = (1/B) Σ_b δ1 ⋆[padding=1] x"})
  void gradLinesAreExplainLines(String example, String recursion) {
    Cli.Run grad = Cli.run("grad", example);
    Cli.Run explain = Cli.run("explain", example);
    assertEquals(0, grad.status(), grad.err());
    assertEquals(0, explain.status(), explain.err());
    Set<String> story = new HashSet<>();
    for (String line : explain.out().split("\n")) {
      String s = line.strip();
      s = s.startsWith("where ") ? s.substring(6) : s;
      int note = s.indexOf("      (");
      story.add(note < 0 ? s : s.substring(0, note));
    }
    String[] lines = grad.out().split("\n");
    assertTrue(lines.length > 3, grad.out());
    for (int i = 1; i < lines.length; i++) {
      assertTrue(story.contains(lines[i]), "grad's '" + lines[i] + "' is not in\n" + explain.out());
    }
    assertTrue(grad.out().contains(recursion + "\n"), grad.out());
  }
}
