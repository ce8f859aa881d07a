package org.gradc.codegen;

import java.util.Map;
import org.gradc.ir.Node;

/**
 * The names and chain-rule steps of the backpropagation story ({@code gradc explain}), which the
 * generated code uses for its identifiers and comments, so that it reads like the derivation.
 *
 * @param names the math name of each node the story names ({@code z1}, {@code δ2},
 *     {@code ∂loss/∂yhat}, {@code dL/dW1}); the code spells them as Java identifiers
 * @param steps the step that defines each named node ({@code δ2 = ∂loss/∂yhat ⊙ σ'(z2)})
 */
public record Derivation(Map<Node, String> names, Map<Node, String> steps) {
  /** No story: values keep the DSL names and op-based names. */
  public static final Derivation NONE = new Derivation(Map.of(), Map.of());

  public Derivation {
    names = Map.copyOf(names);
    steps = Map.copyOf(steps);
  }

  /**
   * The Java spelling of a math name: {@code δ2} as {@code delta2}, {@code ∂loss/∂yhat} as
   * {@code d_yhat}, {@code dL/dW1} as {@code d_W1}, {@code σ'(z1)} as {@code dsigma_z1},
   * {@code τ3} as {@code tau3}. The result is only a suggestion: the name allocator still
   * validates and mangles it.
   */
  static String javaName(String math) {
    String s = math;
    if (s.startsWith("∂loss/∂") || s.startsWith("dL/d")) {
      s = "d_" + s.substring(s.startsWith("dL/d") ? 4 : 7);
    }
    int prime = s.indexOf("'(");
    if (prime > 0 && s.endsWith(")")) {
      s = "d" + s.substring(0, prime) + "_" + s.substring(prime + 2, s.length() - 1);
    }
    return s.replace("δ", "delta").replace("τ", "tau").replace("σ", "sigma");
  }
}
