package org.gradc.sema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gradc.Gradc;
import org.gradc.diag.Diagnostic;
import org.gradc.diag.Diagnostics;
import org.gradc.diag.GradcException;
import org.gradc.diag.SourceFile;
import org.gradc.diff.Gradients;
import org.gradc.explain.Explainer;
import org.gradc.explain.StoryWriter;
import org.gradc.explain.Values;
import org.gradc.ir.Evaluator;
import org.gradc.ir.Node;
import org.gradc.simplify.Simplifier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Generated programs that are deep, long or wide: check, grad, explain (with and without values)
 * and the reference evaluator each either succeed or fail with clean positioned errors, within a
 * time limit, and on an ordinary thread (the timeout runs them on one), so no phase may recurse
 * on the size of the input.
 */
class LimitsTest {
  /** A program, the time each phase may take on it, and what check must say (null: accept it). */
  private record Case(String name, String source, Duration limit, String error) {}

  private static final Duration FEW = Duration.ofSeconds(10);
  /** For the 100,000-term and 10,000-statement inputs, on a slow shared machine. */
  private static final Duration MANY = Duration.ofSeconds(40);

  static String chain(int n) {
    StringBuilder b = new StringBuilder("model Chain {\n  input x\n  param w = 0.5\n  a0 = w * x\n");
    for (int i = 1; i < n; i++) {
      b.append("  a").append(i).append(" = tanh(a").append(i - 1).append(") * 1.001\n");
    }
    return b.append("  loss a").append(n - 1).append("\n}\n").toString();
  }

  static String residual(int n) {
    StringBuilder b = new StringBuilder("model Res {\n  input x\n  param w = 0.5\n  a0 = w * x\n");
    for (int i = 1; i < n; i++) {
      b.append("  a").append(i).append(" = a").append(i - 1).append(" + tanh(a").append(i - 1)
          .append(")\n");
    }
    return b.append("  loss a").append(n - 1).append("\n}\n").toString();
  }

  static String defChain(int n) {
    StringBuilder b = new StringBuilder("def f0(z) = tanh(z)\n");
    for (int i = 1; i < n; i++) {
      b.append("def f").append(i).append("(z) = f").append(i - 1).append("(z) + 1\n");
    }
    return b.append("model Defs {\n  input x\n  param w = 0.5\n  loss f").append(n - 1)
        .append("(w * x)\n}\n").toString();
  }

  static String doubling(int n) {
    StringBuilder b = new StringBuilder("def f0(z) = tanh(z)\n");
    for (int i = 1; i < n; i++) {
      b.append("def f").append(i).append("(z) = f").append(i - 1).append("(z) * f").append(i - 1)
          .append("(z)\n");
    }
    return b.append("model Doubling {\n  input x\n  param w = 0.5\n  loss f").append(n - 1)
        .append("(w * x)\n}\n").toString();
  }

  /** Defs whose calls differ in their arguments, so expansion really is exponential. */
  static String exploding(int n) {
    StringBuilder b = new StringBuilder("def f0(z) = tanh(z)\n");
    for (int i = 1; i < n; i++) {
      b.append("def f").append(i).append("(z) = f").append(i - 1).append("(z + 1) * f").append(i - 1)
          .append("(z * 2)\n");
    }
    return b.append("model Boom {\n  input x\n  param w = 0.5\n  loss f").append(n - 1)
        .append("(w * x)\n}\n").toString();
  }

  static String flatSum(int n) {
    return "model Flat {\n  input x\n  param a = 0.5\n  loss " + "a * x + ".repeat(n - 1) + "a * x\n}\n";
  }

  static String deepLiteral(int n) {
    return "model Lit {\n  input x\n  param W[1] = " + "[".repeat(n) + "1" + "]".repeat(n)
        + "\n  loss sum(W) * x\n}\n";
  }

  static String manyErrors(int n) {
    StringBuilder b = new StringBuilder("model Errs {\n  input x\n  param w = 1\n");
    for (int i = 0; i < n; i++) {
      b.append("  a").append(i).append(" = q").append(i).append(" + w\n");
    }
    return b.append("  loss w * x\n}\n").toString();
  }

  static String wideLayers(int n) {
    StringBuilder b = new StringBuilder("model Wide {\n  input x[4]\n  layer h0 = dense(x, 4, tanh)\n");
    for (int i = 1; i < n; i++) {
      b.append("  layer h").append(i).append(" = dense(h").append(i - 1).append(", 4, tanh)\n");
    }
    return b.append("  loss sum(h").append(n - 1).append(")\n}\n").toString();
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("chain of 10,000 statements", chain(10_000), MANY, null),
        new Case("residual chain of 300 statements", residual(300), FEW, null),
        new Case("3,000 chained defs", defChain(3_000), FEW, null),
        new Case("40 levels of doubling defs", doubling(40), FEW, null),
        new Case("100,000-term sum", flatSum(100_000), MANY, null),
        new Case("300 dense layers", wideLayers(300), FEW, null),
        new Case("20,000-deep array literal", deepLiteral(20_000), FEW, "nested too deeply"),
        new Case("exponentially many distinct expansions", exploding(40), FEW, "graph larger than"),
        new Case("deeply nested calls", "model N {\n  input x\n  param w = 1\n  loss "
            + "tanh(".repeat(2_000) + "w * x" + ")".repeat(2_000) + "\n}\n", FEW, "nested too deeply"),
        new Case("20,000 errors", manyErrors(20_000), FEW, "more errors not shown"));
  }

  @TestFactory
  Stream<DynamicTest> hostileProgramsAreHandledOrRejectedCleanly() {
    return cases().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
  }

  private static void run(Case c) {
    SourceFile file = new SourceFile(c.name().replace(' ', '_') + ".grad", c.source());
    CheckedProgram program = assertTimeoutPreemptively(c.limit(), () -> checked(file, c.error()),
        "check of " + c.name());
    if (program == null) {
      return;
    }
    for (CheckedModel model : program.models()) {
      Gradients grads = assertTimeoutPreemptively(c.limit(), () -> gradients(model), "grad of " + c.name());
      String printed = assertTimeoutPreemptively(c.limit(),
          () -> StoryWriter.gradients(Explainer.explain(model, grads, null), false),
          "printing the gradients of " + c.name());
      assertTrue(printed.length() < 400 * c.source().length() + 10_000,
          "gradc grad printed " + printed.length() + " characters for " + c.source().length());
      Values values = values(model);
      assertTimeoutPreemptively(c.limit(), () -> {
        Map<Node, double[]> out = Evaluator.evaluate(List.of(grads.objective()), values.batchSize(),
            values.leaves());
        assertEquals(1, out.size());
      }, "evaluating " + c.name());
      String story = assertTimeoutPreemptively(c.limit(),
          () -> StoryWriter.text(Explainer.explain(model, grads, null)), "explain of " + c.name());
      assertTrue(story.length() < 400 * c.source().length() + 10_000,
          "gradc explain printed " + story.length() + " characters for " + c.source().length());
      if (c.limit() == FEW) {
        assertTimeoutPreemptively(c.limit(),
            () -> StoryWriter.markdown(Explainer.explain(model, grads, values)),
            "explain with values of " + c.name());
      }
    }
  }

  /** The checked program, or null after asserting that the errors are clean and as expected. */
  private static CheckedProgram checked(SourceFile file, String expected) {
    try {
      CheckedProgram p = Gradc.check(file);
      if (expected != null) {
        fail("expected an error '" + expected + "', but the program was accepted");
      }
      return p;
    } catch (GradcException e) {
      if (expected == null) {
        fail("expected the program to be accepted, got:\n" + e.getMessage());
      }
      assertTrue(e.diagnostics().size() <= Diagnostics.MAX_REPORTED + 1, "too many diagnostics");
      assertTrue(e.diagnostics().stream().anyMatch(d -> d.message().contains(expected)),
          "expected '" + expected + "' in:\n" + e.getMessage().lines().limit(20).toList());
      for (Diagnostic d : e.diagnostics()) {
        assertTrue(d.span().line() >= 1 && d.span().col() >= 1, "position of " + d);
        assertTrue(d.format().startsWith(file.name() + ":" + d.span().line() + ":" + d.span().col()
            + ": error: "), d.format());
      }
      return null;
    }
  }

  private static Gradients gradients(CheckedModel model) {
    return Simplifier.gradients(model.graph(), model.loss(),
        model.params().stream().map(CheckedModel.Param::node).toList());
  }

  /** Two examples: every input and target 0.3, every parameter 0.1. */
  private static Values values(CheckedModel model) {
    Map<String, double[]> leaves = new HashMap<>();
    List<CheckedModel.Value> data = new ArrayList<>(model.inputs());
    data.addAll(model.targets());
    for (CheckedModel.Value v : data) {
      leaves.put(v.name(), filled(2 * v.node().shape().size(), 0.3));
    }
    for (CheckedModel.Param p : model.params()) {
      leaves.put(p.name(), filled(p.node().shape().size(), 0.1));
    }
    return new Values(2, leaves);
  }

  private static double[] filled(int n, double v) {
    double[] out = new double[n];
    java.util.Arrays.fill(out, v);
    return out;
  }

  /** The residual chain of the issue: 10 steps printed 19 KB, 20 steps 19 MB. */
  @Test
  void explainOfAResidualChainGrowsLinearly() {
    int small = story(residual(30)).length();
    int large = story(residual(60)).length();
    assertTrue(large < 3 * small, "30 steps: " + small + " characters, 60 steps: " + large);
    assertTrue(small < 20_000, "30 steps: " + small + " characters");
  }

  @Test
  void gradOfADoublingDefChainIsSmallAndFast() {
    CheckedModel m = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> Gradc.check(new SourceFile("d.grad", doubling(40))).models().get(0));
    assertTrue(m.graph().size() < 1_000, "graph of " + m.graph().size() + " nodes");
    String printed = StoryWriter.gradients(Explainer.explain(m, gradients(m), null), false);
    assertTrue(printed.length() < 10_000, printed.length() + " characters");
  }

  @Test
  void tooManyErrorsAreCountedNotListed() {
    GradcException e = org.junit.jupiter.api.Assertions.assertThrows(GradcException.class,
        () -> Gradc.check(new SourceFile("e.grad", manyErrors(500))));
    assertEquals(Diagnostics.MAX_REPORTED + 1, e.diagnostics().size());
    assertEquals(500, e.errorCount());
    assertTrue(e.diagnostics().get(Diagnostics.MAX_REPORTED).message()
        .startsWith("400 more errors not shown"), e.diagnostics().get(Diagnostics.MAX_REPORTED).message());
  }

  private static String story(String source) {
    CheckedModel m = Gradc.check(new SourceFile("r.grad", source)).models().get(0);
    return StoryWriter.text(Explainer.explain(m, gradients(m), null));
  }
}
