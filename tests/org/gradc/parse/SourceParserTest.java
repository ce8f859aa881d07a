package org.gradc.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.gradc.ast.Expr;
import org.gradc.ast.Program;
import org.gradc.ast.Stmt;
import org.gradc.diag.Diagnostics;
import org.gradc.diag.SourceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SourceParserTest {

  private static Program parse(String text) {
    SourceFile file = new SourceFile("t.grad", text);
    Diagnostics d = new Diagnostics(file);
    Program p = SourceParser.parse(file, d).orElse(null);
    assertTrue(!d.hasErrors(), () -> d.all().toString());
    return p;
  }

  @Test
  void theCallerRunsItsOwnWorkWhileTheParserRunsAndGetsTheSameProgram() {
    String text = "model M { input x[2]\n param w[2]\n loss sum(x * w) }";
    SourceFile file = new SourceFile("t.grad", text);
    Thread caller = Thread.currentThread();
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    Program p = SourceParser.parse(file, new Diagnostics(file),
        () -> assertNull(ranOn.getAndSet(Thread.currentThread()))).orElseThrow();
    assertSame(caller, ranOn.get());
    assertEquals(parse(text), p);
  }

  /** The loss expression of a one-model file, printed fully parenthesized. */
  private static String lossOf(String expr) {
    Program p = parse("model M { loss " + expr + " }");
    Stmt.Loss loss = (Stmt.Loss) p.models().get(0).body().get(0);
    return show(loss.value());
  }

  private static String show(Expr e) {
    if (e instanceof Expr.Num n) {
      return n.text();
    } else if (e instanceof Expr.Name n) {
      return n.name().text();
    } else if (e instanceof Expr.Negate n) {
      return "(-" + show(n.operand()) + ")";
    } else if (e instanceof Expr.Binary b) {
      return "(" + show(b.left()) + " " + b.op().symbol() + " " + show(b.right()) + ")";
    } else if (e instanceof Expr.Member m) {
      return show(m.target()) + "." + m.field().text();
    } else if (e instanceof Expr.Index i) {
      return show(i.target()) + "[" + i.index().text() + "]";
    }
    Expr.Call c = (Expr.Call) e;
    return c.function().text() + "(" + String.join(", ", c.args().stream().map(SourceParserTest::show).toList()) + ")";
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "a - b - c          | ((a - b) - c)",
      "a + b * c          | (a + (b * c))",
      "a * b @ c / d      | (((a * b) @ c) / d)",
      "-x ^ 2             | (-(x ^ 2))",
      "2 ^ 3 ^ 2          | (2 ^ (3 ^ 2))",
      "a ^ -b             | (a ^ (-b))",
      "-a * b             | ((-a) * b)",
      "x @ h.W.T + h.b    | ((x @ h.W.T) + h.b)",
      "v[1] ^ 2           | (v[1] ^ 2)",
      "m[0].T[2]          | m[0].T[2]",
      "f(a, g(b)) - .5e1  | (f(a, g(b)) - .5e1)",
  })
  void precedenceAndAssociativityAsSpecified(String source, String expected) {
    assertEquals(expected.strip(), lossOf(source.strip()));
  }

  @Test
  void commentsAndOptionalSemicolons() {
    Program p = parse("""
        /* header
           comment */
        def f(z) = z * 2;   // trailing
        model A { input x; param w = 1; loss f(w * x) } model B { param v[2] = [1, -2] loss sum(v) }
        """);
    assertEquals(1, p.defs().size());
    assertEquals(2, p.defs().get(0).params().size() + 1);
    assertEquals(2, p.models().size());
    assertEquals(3, p.models().get(0).body().size());
  }

  @Test
  void spansPointAtTheOperator() {
    Program p = parse("model M {\n  loss a @ b\n}");
    Expr.Binary b = (Expr.Binary) ((Stmt.Loss) p.models().get(0).body().get(0)).value();
    assertEquals(2, b.opSpan().line());
    assertEquals(10, b.opSpan().col());
    assertEquals(8, b.span().col());
  }

  @Test
  void trainBlockItems() {
    Program p = parse("model M { param w train { optimizer adam(lr = 0.01, beta1 = 0.8) batch 4; seed 7 } loss w }");
    Stmt.Train t = (Stmt.Train) p.models().get(0).body().get(1);
    assertEquals(3, t.items().size());
    assertInstanceOf(org.gradc.ast.TrainItem.Optimizer.class, t.items().get(0));
  }
}
