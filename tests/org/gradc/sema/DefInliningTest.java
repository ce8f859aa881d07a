package org.gradc.sema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Collectors;
import org.gradc.Gradc;
import org.gradc.diag.GradcException;
import org.gradc.diag.SourceFile;
import org.gradc.ir.Evaluator;
import org.junit.jupiter.api.Test;

/**
 * A def is inlined at each call, as a Python function is: its result has the shape its body
 * gives for the arguments of that call, and its shapes are checked there.
 */
class DefInliningTest {
  static CheckedModel check(String text) {
    return Gradc.check(new SourceFile("defs.grad", text)).models().get(0);
  }

  static Map<String, String> shapes(CheckedModel m) {
    return m.intermediates().stream()
        .collect(Collectors.toMap(CheckedModel.Value::name, v -> v.node().shape().toString()));
  }

  @Test
  void theResultHasTheShapeOfTheInlinedBody() {
    CheckedModel m = check("""
        def f(a, b) = tanh(b)
        def two(a) = 2
        def mix(a, b) = a * b + a
        model M {
          input x[3]
          param W[2, 3] = [[1, 2, 3], [4, 5, 6]]
          param v[3] = [0.1, 0.2, 0.3]
          r = f(W, v)
          s = two(W)
          t = mix(W, v)
          u = mix(v, W)
          loss sum(r * x) + s + sum(t) + sum(u)
        }
        """);
    Map<String, String> shapes = shapes(m);
    assertEquals("[3]", shapes.get("r"));
    assertEquals("[]", shapes.get("s"));
    assertEquals("[2, 3]", shapes.get("t"));
    assertEquals("[2, 3]", shapes.get("u"));
    Evaluator ev = new Evaluator(1, Map.of("x", new double[] {1, 1, 1},
        "W", new double[] {1, 2, 3, 4, 5, 6}, "v", new double[] {0.1, 0.2, 0.3}));
    CheckedModel.Value r = m.intermediates().stream().filter(v -> v.name().equals("r")).findFirst()
        .orElseThrow();
    assertArrayEquals(new double[] {Math.tanh(0.1), Math.tanh(0.2), Math.tanh(0.3)},
        ev.value(r.node()), 0);
    assertEquals(2.0, ev.scalar(m.intermediates().stream().filter(v -> v.name().equals("s"))
        .findFirst().orElseThrow().node()), 0);
  }

  @Test
  void shapesAreCheckedInTheBodyAtEachCall() {
    GradcException e = assertThrows(GradcException.class, () -> check("""
        def mix(a, b) = a * b
        model M {
          input x[3]
          param w[2] = ones
          ok = mix(x, x)
          loss sum(mix(x, w)) + sum(ok)
        }
        """));
    assertEquals(1, e.diagnostics().size(), e.getMessage());
    String message = e.diagnostics().get(0).message();
    assertTrue(message.contains("shapes [3] and [2] do not match"), message);
  }
}
