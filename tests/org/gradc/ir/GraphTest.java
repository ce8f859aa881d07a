package org.gradc.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GraphTest {
  final GraphBuilder g = new GraphBuilder();

  @Test
  void shapeText() {
    assertEquals("[2, 4]", Shape.of(2, 4).toString());
    assertEquals("[3]", Shape.of(3).toString());
    assertEquals("[]", Shape.SCALAR.toString());
    assertSame(Shape.SCALAR, Shape.of());
    assertEquals(8, Shape.of(2, 4).size());
    assertEquals(1, Shape.SCALAR.size());
    assertEquals(Shape.of(2, 4), Shape.of(2, 4));
  }

  @Test
  void theFunctionOfAnElementwiseNodeIsPartOfItsIdentity() {
    Node x = g.input("x", Shape.of(2));
    Node e = g.unary(Fn.EXP, x);
    assertSame(e, g.exp(x));
    assertNotSame(e, g.unary(Fn.LOG, x));
    assertEquals(Op.UNARY, e.op());
    assertEquals(Fn.EXP, e.fn());
    assertTrue(e.is(Fn.EXP) && !e.is(Fn.LOG) && !x.is(Fn.EXP));
    Node d = g.binary(Fn.DIV, x, g.number(2));
    assertEquals(Op.BINARY, d.op());
    assertNotSame(d, g.binary(Fn.SUB, x, g.number(2)));
    assertSame(d, g.rebuild(d, List.of(x, g.number(2))));
    assertTrue(g.rebuild(d, List.of(e, g.number(2))).is(Fn.DIV));
    assertThrows(IllegalStateException.class, x::fn);
    assertThrows(IllegalArgumentException.class, () -> g.unary(Fn.ADD, x));
    assertThrows(IllegalArgumentException.class, () -> g.binary(Fn.EXP, x, x));
  }

  @Test
  void hashConsingReturnsTheSameInstance() {
    Node x = g.input("x", Shape.of(2));
    Node w = g.param("W", Shape.of(2, 3));
    assertSame(x, g.input("x", Shape.of(2)));
    assertSame(g.matmul(x, w), g.matmul(x, w));
    assertSame(g.sigmoid(g.matmul(x, w)), g.sigmoid(g.matmul(x, w)));
    assertSame(g.number(0.5), g.number(0.5));
    assertNotSame(g.number(0.0), g.number(-0.0));
    assertSame(g.constant("c", Shape.of(2), new double[] {1, 2}),
        g.constant("c", Shape.of(2), new double[] {1, 2}));
    assertNotSame(g.add(x, g.number(1)), g.add(g.number(1), x));
    int before = g.size();
    g.add(g.matmul(x, w), g.param("b", Shape.of(3)));
    g.add(g.matmul(x, w), g.param("b", Shape.of(3)));
    assertEquals(before + 2, g.size());
  }

  @Test
  void nodesFromAnotherGraphAreRejected() {
    Node x = new GraphBuilder().input("x", Shape.of(2));
    assertThrows(IllegalArgumentException.class, () -> g.neg(x));
  }

  @Test
  void batchedness() {
    Node x = g.input("x", Shape.of(3));
    Node w = g.param("w", Shape.of(3));
    assertTrue(x.batched());
    assertFalse(w.batched());
    assertTrue(g.add(x, w).batched());
    assertFalse(g.mul(w, g.number(2)).batched());
    assertFalse(g.batchMean(g.sum(x)).batched());
    assertTrue(g.target("y", Shape.SCALAR).batched());
  }

  @Test
  void broadcastingRules() {
    Node m = g.param("m", Shape.of(2, 3));
    Node v = g.param("v", Shape.of(3));
    Node s = g.param("s", Shape.SCALAR);
    assertEquals(Shape.of(2, 3), g.add(m, v).shape());
    assertEquals(Shape.of(2, 3), g.sub(v, m).shape());
    assertEquals(Shape.of(2, 3), g.mul(s, m).shape());
    assertEquals(Shape.of(3), g.div(v, s).shape());
    assertEquals(Shape.of(2, 3), g.max(m, v).shape());
    ShapeException e = assertThrows(ShapeException.class,
        () -> g.add(v, g.param("u", Shape.of(4))));
    assertEquals("shapes [3] and [4] do not match", e.getMessage());
    e = assertThrows(ShapeException.class, () -> g.add(m, g.param("c", Shape.of(2))));
    assertEquals("shapes [2, 3] and [2] do not match", e.getMessage());
    assertEquals(Shape.of(2, 3), g.pow(m, v).shape());
    assertEquals(Shape.of(3), g.pow(g.number(2), v).shape());
    assertEquals(Shape.of(2, 3), g.pow(v, m).shape());
    e = assertThrows(ShapeException.class, () -> g.pow(v, g.param("u", Shape.of(4))));
    assertEquals("shapes [3] and [4] do not match", e.getMessage());
  }

  @Test
  void matmulShapes() {
    Node x = g.input("x", Shape.of(3));
    Node w = g.param("W", Shape.of(3, 4));
    assertEquals(Shape.of(4), g.matmul(x, w).shape());
    assertEquals(Shape.of(3), g.matmul(g.param("A", Shape.of(3, 4)), g.param("u", Shape.of(4)))
        .shape());
    assertEquals(Shape.of(2, 4), g.matmul(g.param("M", Shape.of(2, 3)), w).shape());
    ShapeException e = assertThrows(ShapeException.class,
        () -> g.matmul(x, g.param("W1", Shape.of(2, 4))));
    assertEquals("[3] @ [2, 4]: inner dimensions 3 and 2 differ", e.getMessage());
    e = assertThrows(ShapeException.class, () -> g.matmul(g.number(2), w));
    assertTrue(e.getMessage().startsWith("[] @ [3, 4]: "), e.getMessage());
    e = assertThrows(ShapeException.class, () -> g.matmul(x, x));
    assertTrue(e.getMessage().startsWith("[3] @ [3]: "), e.getMessage());
  }

  @Test
  void transposeAndIndex() {
    Node m = g.param("m", Shape.of(2, 3));
    Node v = g.param("v", Shape.of(3));
    assertEquals(Shape.of(3, 2), g.transpose(m).shape());
    assertSame(v, g.transpose(v));
    assertEquals(Shape.SCALAR, g.index(v, 2).shape());
    assertEquals(Shape.of(3), g.index(m, 1).shape());
    assertEquals("cannot index a scalar",
        assertThrows(ShapeException.class, () -> g.index(g.number(1), 0)).getMessage());
    assertEquals("index 5 is out of range for shape [3]",
        assertThrows(ShapeException.class, () -> g.index(v, 5)).getMessage());
  }

  @Test
  void builtinTable() {
    for (String name : List.of("exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid",
        "relu", "softplus", "gelu", "square", "leaky_relu", "elu", "max", "min", "sum", "mean", "dot",
        "norm", "softmax", "log_softmax", "logsumexp", "mse", "bce", "bce_logits",
        "cross_entropy", "stop_gradient")) {
      assertTrue(Builtins.lookup(name).isPresent(), name);
    }
    assertEquals(28, Builtins.names().size());
    assertEquals(2, Builtins.lookup("elu").orElseThrow().arity());
    assertTrue(Builtins.lookup("nope").isEmpty());
    Builtin mse = Builtins.lookup("mse").orElseThrow();
    Node a = g.param("a", Shape.of(3));
    assertEquals(Shape.SCALAR, mse.apply(g, List.of(a, g.target("y", Shape.of(3)))).shape());
    assertEquals("shapes [3] and [4] do not match", assertThrows(ShapeException.class,
        () -> mse.apply(g, List.of(a, g.target("t", Shape.of(4))))).getMessage());
    assertThrows(ShapeException.class, () -> Builtins.lookup("dot").orElseThrow()
        .apply(g, List.of(a, g.param("b", Shape.of(4)))));
    assertThrows(ShapeException.class, () -> Builtins.lookup("softmax").orElseThrow()
        .apply(g, List.of(g.number(1))));
    assertEquals(Shape.of(2), Builtins.lookup("logsumexp").orElseThrow()
        .apply(g, List.of(g.param("M", Shape.of(2, 3)))).shape());
  }
}
