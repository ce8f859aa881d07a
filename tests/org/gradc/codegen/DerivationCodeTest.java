package org.gradc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.gradc.Gradc;
import org.junit.jupiter.api.Test;

/** Generated code reads like the derivation: the story's names and one step per block. */
class DerivationCodeTest {

  private static String emit(String example) throws IOException {
    return Gradc.load(Gradc.read(Path.of(example))).models().get(0).java("p").source();
  }

  @Test
  void xorUsesTheStorysNamesAndSteps() throws IOException {
    String code = emit("examples/xor.grad");
    for (String s : new String[] {"double z1 = ", "double z2 = ", "double[] delta2 = ws[",
        "double[] delta1 = ws[", "double dsigma_z1 = ", "double[] x_W1 = ws[",
        "// δ2 = ∂loss/∂yhat ⊙ σ'(z2)     xor.grad:23  yhat = sigmoid(h @ W2 + b2)\n",
        "// δ1 = (δ2 · W2ᵀ) ⊙ σ'(z1)     xor.grad:22  h = sigmoid(x @ W1 + b1)\n",
        "// dL/dW1 = (1/B) Σ_b xᵀ · δ1     xor.grad:22",
        "// dL/db2 = (1/B) Σ_b δ2     xor.grad:23", "<li>ws[0]: 4 per example, holds "}) {
      assertTrue(code.contains(s), "missing '" + s + "' in\n" + code);
    }
    assertFalse(code.contains("B * 1;"), "a loop over one element per example:\n" + code);
    assertTrue(code.contains("// ∂loss/∂h = δ2 · W2ᵀ     xor.grad:22"), code);
    assertTrue(code.contains("// Σ_b δ1     xor.grad:22"), code);
    // every block of the backward pass says which chain-rule step it computes
    String train = code.substring(code.indexOf("private static void train0"),
        code.indexOf("private static void predict0"));
    assertFalse(train.contains("// grad of"), train);
    assertFalse(code.contains("matmul1"), code);
  }

  @Test
  void columnConventionKeepsItsSteps() throws IOException {
    String code = emit("examples/xor_column.grad");
    assertTrue(code.contains("// δ1 = (W2ᵀ · δ2) ⊙ σ'(z1)     xor_column.grad:"), code);
    assertTrue(code.contains("double z1 = (W1_x[e * 4 + j] + theta[b1 + j]);"), code);
  }

  @Test
  void mathNamesSpelledForJava() {
    assertEquals("delta2", Derivation.javaName("δ2"));
    assertEquals("d_yhat", Derivation.javaName("∂loss/∂yhat"));
    assertEquals("d_W1", Derivation.javaName("dL/dW1"));
    assertEquals("dsigma_z1", Derivation.javaName("σ'(z1)"));
    assertEquals("drelu_z1", Derivation.javaName("relu'(z1)"));
    assertEquals("tau3", Derivation.javaName("τ3"));
    assertEquals("h.W", Derivation.javaName("h.W"));
  }
}
