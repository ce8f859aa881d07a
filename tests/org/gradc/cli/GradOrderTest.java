package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code gradc grad --order 2}: the symbolic Hessian of a model with a few scalar parameters. */
class GradOrderTest {
  @Test
  void linearModelHessianIsTwiceTheMeanSquare() {
    Cli.Run r = Cli.run("grad", "examples/seeds/linear.grad", "--order", "2");
    assertEquals(0, r.status(), r::toString);
    // d²/dw² mean((y − w x)²) = 2 Σ x² / B
    assertEquals("model Linear  (examples/seeds/linear.grad)\n"
        + "∂²L/∂w∂w = Σ_b −2 · −1 / B · x · x\n", r.out());
    Cli.Run tex = Cli.run("grad", "examples/seeds/neuron.grad", "--order", "2", "--latex");
    assertTrue(tex.out().contains("\\frac{\\partial^2 L}{\\partial w \\partial b} = "), tex.out());
  }

  @Test
  void otherModelsAndOrdersAreRefused() {
    Cli.Run big = Cli.run("grad", "examples/xor.grad", "--order", "2");
    assertEquals(1, big.status());
    assertEquals("", big.out());
    assertEquals("gradc: error: the Hessian is printed for at most 6 scalar parameters; model Xor"
        + " has W1 [2, 4], b1 [4], W2 [4, 1], b2 [1]\n", big.err());
    Cli.Run three = Cli.run("grad", "examples/xor.grad", "--order", "3");
    assertEquals(2, three.status());
    assertEquals("gradc: error: --order must be 1 or 2, got 3 (see gradc grad --help)\n", three.err());
  }
}
