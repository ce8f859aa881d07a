package org.gradc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.codehaus.janino.SimpleCompiler;
import org.gradc.Gradc;
import org.gradc.diag.Diagnostic;
import org.gradc.diag.GradcException;
import org.gradc.diag.SourceFile;
import org.gradc.lower.Plan;
import org.gradc.lower.Planner;
import org.gradc.runtime.GeneratedModel;
import org.gradc.runtime.LoadedModel;
import org.gradc.sema.CheckedModel;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Programs generated to be deep, long and wide: every one either compiles (Janino and javac)
 * with every method of both class files under the JIT's 8,000-byte limit and computes what the
 * reference evaluator computes, or is rejected with positioned diagnostics; each within seconds.
 */
class GeneratedProgramsTest {
  private static final Pattern POSITIONED = Pattern.compile("[^\\n]+:\\d+:\\d+: error: .*",
      Pattern.DOTALL);

  /** A generated program, the seconds it may take, and whether javac compiles it too. */
  record Program(String name, Supplier<String> text, int seconds, boolean javac) {}

  static List<Program> programs() {
    List<Program> p = new ArrayList<>();
    p.add(new Program("chain of 600 tanh statements", () -> chain(600, "tanh(%s) * 1.001"), 20,
        true));
    p.add(new Program("chain of 1,000 mixed statements", () -> chain(1000,
        "sigmoid(%1$s) * 0.5 + relu(%1$s) - exp(-square(%1$s)) * 0.25"), 30, true));
    p.add(new Program("chain of 10,000 statements", () -> chain(10_000, "tanh(%s) * 1.001"), 40,
        false));
    p.add(new Program("chain of 300 tanh statements on 600 elements",
        () -> chain(300, "tanh(%s) * 1.001").replace("x[4]", "x[600]").replace("w[4]", "w[600]"),
        20, true));
    p.add(new Program("a 100,000-element constant", () -> bigConstant(100_000), 20, true));
    p.add(new Program("a [300, 400] constant matrix in a product", GeneratedProgramsTest::constMatrix,
        20, true));
    p.add(new Program("300 constants", () -> manyConstants(300), 20, true));
    p.add(new Program("2,000 constants", () -> manyConstants(2000), 30, false));
    p.add(new Program("2,000 outputs", () -> manyOutputs(2000), 30, true));
    p.add(new Program("2,000 parameters", () -> manyParams(2000), 30, false));
    p.add(new Program("a sum of 200 terms", () -> wideSum(200), 20, true));
    p.add(new Program("a sum of 2,000 terms", () -> wideSum(2000), 20, true));
    p.add(new Program("tanh nested 200 deep", () -> nested(200), 20, true));
    p.add(new Program("tanh nested 5,000 deep", () -> nested(5000), 20, true));
    p.add(new Program("a 70,000-character name", () -> longName(70_000), 20, true));
    p.add(new Program("a dense layer of 1,000 units on 1,000 inputs",
        () -> "model Wide {\n  input x[1000]\n  target y[1000]\n  layer h = dense(x, 1000, tanh)\n"
            + "  output h\n  loss mse(h, y)\n}\n", 30, true));
    return p;
  }

  static String chain(int n, String step) {
    StringBuilder b = new StringBuilder("model Chain {\n  input x[4]\n  param w[4] = 0.5\n"
        + "  a0 = x * w\n");
    for (int i = 1; i <= n; i++) {
      b.append("  a").append(i).append(" = ").append(String.format(step, "a" + (i - 1)))
          .append('\n');
    }
    return b.append("  output a").append(n).append("\n  loss sum(a").append(n)
        .append(" * a").append(n).append(")\n}\n").toString();
  }

  static String bigConstant(int n) {
    StringBuilder b = new StringBuilder("model Big {\n  input x\n  param w[" + n + "] = 0.01\n"
        + "  const c[" + n + "] = [");
    Random r = new Random(1);
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ", ").append(r.nextGaussian());
    }
    return b.append("]\n  loss sum(c * w) * x + sum(w * w)\n}\n").toString();
  }

  static String constMatrix() {
    StringBuilder b = new StringBuilder("model M {\n  input x[300]\n  param v[400] = 0.1\n"
        + "  const C[300, 400] = [");
    for (int i = 0; i < 300; i++) {
      b.append(i == 0 ? "[" : ", [");
      for (int j = 0; j < 400; j++) {
        b.append(j == 0 ? "" : ", ").append((i * 7 + j * 3) % 11 - 5);
      }
      b.append(']');
    }
    return b.append("]\n  h = x @ C\n  output h\n  loss sum(h * v)\n}\n").toString();
  }

  static String manyConstants(int n) {
    StringBuilder b = new StringBuilder("model Consts {\n  input x[2]\n  param w[2] = 0.5\n");
    for (int i = 0; i < n; i++) {
      b.append("  const k").append(i).append("[2] = [").append(i).append(", -")
          .append(i % 13).append(".5]\n");
    }
    b.append("  s0 = x * w\n");
    for (int i = 0; i < n; i++) {
      b.append("  s").append(i + 1).append(" = s").append(i).append(" + k").append(i)
          .append(" * 0.001\n");
    }
    return b.append("  loss sum(s").append(n).append(" * s").append(n).append(")\n}\n")
        .toString();
  }

  static String manyOutputs(int n) {
    StringBuilder b = new StringBuilder("model Outs {\n  input x[2]\n  param w[2] = 0.5\n");
    StringBuilder out = new StringBuilder("  output o0");
    b.append("  o0 = x * w\n");
    for (int i = 1; i < n; i++) {
      b.append("  o").append(i).append(" = o").append(i - 1).append(" * 0.999 + ").append(i)
          .append('\n');
      out.append(", o").append(i);
    }
    return b.append(out).append("\n  loss sum(o").append(n - 1).append(")\n}\n").toString();
  }

  static String manyParams(int n) {
    StringBuilder b = new StringBuilder("model Params {\n  input x[3]\n  a0 = x\n");
    for (int i = 0; i < n; i++) {
      b.append("  param p").append(i).append("[3] = ").append(0.001 * (i % 17)).append('\n');
      b.append("  a").append(i + 1).append(" = a").append(i).append(" + p").append(i)
          .append(" * x\n");
    }
    return b.append("  output a").append(n).append("\n  loss sum(a").append(n)
        .append(" * a").append(n).append(")\n}\n").toString();
  }

  static String wideSum(int n) {
    StringBuilder b = new StringBuilder("model Sum {\n  input x[3]\n");
    StringBuilder sum = new StringBuilder("  s = p0 * x");
    for (int i = 0; i < n; i++) {
      b.append("  param p").append(i).append("[3] = ").append(0.01 * (i % 7)).append('\n');
      if (i > 0) {
        sum.append(" + p").append(i).append(" * x");
      }
    }
    return b.append(sum).append("\n  output s\n  loss sum(tanh(s))\n}\n").toString();
  }

  static String nested(int depth) {
    String e = "x * w";
    StringBuilder b = new StringBuilder();
    b.append("tanh(".repeat(depth)).append(e).append(")".repeat(depth));
    return "model Deep {\n  input x[3]\n  param w[3] = 0.5\n  h = " + b + "\n  output h\n"
        + "  loss sum(h * h)\n}\n";
  }

  static String longName(int length) {
    String name = "n" + "a".repeat(length - 1);
    return "model " + name + " {\n  input x[2]\n  param " + name + "[2] = 0.5\n  " + name
        + "_h = tanh(x * " + name + ")\n  output " + name + "_h\n  loss sum(" + name + "_h)\n}\n";
  }

  @TestFactory
  List<DynamicTest> generatedProgramsCompileSmallAndRightOrFailCleanly() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Program p : programs()) {
      tests.add(DynamicTest.dynamicTest(p.name(), () -> assertTimeoutPreemptively(
          Duration.ofSeconds(p.seconds()), () -> check(p), p.name() + " took too long")));
    }
    return tests;
  }

  private static void check(Program p) throws Exception {
    SourceFile file = new SourceFile("gen.grad", p.text().get());
    CheckedModel model;
    try {
      model = Gradc.check(file).models().get(0);
    } catch (GradcException e) {
      assertFalse(e.diagnostics().isEmpty());
      for (Diagnostic d : e.diagnostics()) {
        assertTrue(POSITIONED.matcher(d.format()).matches(), d.format());
      }
      return;
    }
    Plan plan = Planner.plan(model);
    JavaEmitter.Emitted code = JavaEmitter.emit(plan, ModelCompiler.RUNTIME_PACKAGE);
    // Janino: the class files it makes, and the model loaded from them
    SimpleCompiler janino = new SimpleCompiler();
    janino.setParentClassLoader(GeneratedModel.class.getClassLoader());
    janino.cook(code.source());
    assertSmall("janino", janino.getBytecodes());
    if (p.javac()) {
      assertSmall("javac", Bytecode.javac(Map.of(code.qualifiedName(), code.source())));
    }
    GeneratedModel instance = (GeneratedModel) janino.getClassLoader()
        .loadClass(code.qualifiedName()).getDeclaredConstructor().newInstance();
    LoadedModel m = new LoadedModel(plan.model().layout(), code.qualifiedName(),
        code.source(), instance);
    ModelHarness.Point pt = ModelHarness.randomPoint(m, 2, -1, 1, 7);
    ModelHarness.Point start = new ModelHarness.Point(m.initialParameters(3), pt.inputs(),
        pt.targets(), 2);
    assertEquals(List.of(), ModelHarness.compareWithReference(plan, m, start, 1e-9));
  }

  private static void assertSmall(String compiler, Map<String, byte[]> classes) {
    List<String> big = new ArrayList<>();
    int largest = 0;
    for (Map.Entry<String, byte[]> c : classes.entrySet()) {
      for (Map.Entry<String, Integer> m : Bytecode.methodSizes(c.getValue()).entrySet()) {
        largest = Math.max(largest, m.getValue());
        if (m.getValue() >= LargeModelTest.JIT_LIMIT) {
          big.add(c.getKey() + "." + m.getKey() + ": " + m.getValue() + " bytes");
        }
      }
    }
    assertTrue(largest > 0);
    assertEquals(List.of(), big, compiler);
  }
}
