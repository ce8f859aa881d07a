package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@code gradc gradcheck} through {@code Main.run}. */
class GradcheckCommandTest {
  @ParameterizedTest
  @ValueSource(strings = {"examples/xor.grad", "examples/keywords.grad", "examples/swish.grad",
      "examples/seeds/two_layer.grad", "examples/deep_narrow.grad"})
  void examplesPass(String file) {
    Cli.Run r = Cli.run("gradcheck", file, "--seed", "3");
    assertEquals(0, r.status(), r.out() + r.err());
    assertTrue(r.out().contains("ok: worst error"), r.out());
  }

  @Test
  void failsAboveTolerance() {
    Cli.Run r = Cli.run("gradcheck", "examples/xor.grad",
        "--tolerance", "0");
    assertEquals(1, r.status(), r.out() + r.err());
    assertTrue(r.out().contains("FAILED"), r.out());
  }

  @Test
  void reportsEveryParameter() {
    Cli.Run r = Cli.run("gradcheck", "examples/xor_layers.grad");
    for (String p : new String[] {"h.W", "h.b", "yhat.W", "yhat.b"}) {
      assertTrue(r.out().contains("  " + p + " "), r.out());
    }
  }
}
