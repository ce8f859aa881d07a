package org.gradc.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;
import org.gradc.Gradc;
import org.gradc.diag.GradcException;
import org.gradc.diag.SourceFile;
import org.gradc.lower.Planner;
import org.gradc.runtime.LoadedModel;
import org.gradc.runtime.TensorSpec;
import org.gradc.sema.CheckedModel;
import org.gradc.sema.CheckedProgram;
import org.gradc.train.ReferenceModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The differential test: random well-typed files (see {@link RandomModels}); for every model and
 * a random batch of 1 to 4, the generated code equals the reference evaluator on the
 * unsimplified graph to 1e-12 in the loss, every gradient and every output, and central
 * differences of the generated loss to 1e-6 (away from the kinks of relu, abs, max and min).
 * {@code -Dgradc.randomModels=N} runs N seeds instead of the fixed list (a soak);
 * {@code -Dgradc.randomFirstSeed=S} starts them at S. A failure prints the file and a values
 * file that replays the point with {@code gradc eval}.
 */
class RandomModelsTest {
  static final int DEFAULT_SEEDS = 300;

  static LongStream seeds() {
    long first = Long.getLong("gradc.randomFirstSeed", 1);
    return LongStream.range(first, first + Integer.getInteger("gradc.randomModels", DEFAULT_SEEDS));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void generatedCodeAgreesWithTheReference(long seed) {
    RandomModels.File file = RandomModels.file(seed);
    CheckedProgram program;
    try {
      program = Gradc.check(new SourceFile("random" + seed + ".grad", file.text()));
    } catch (GradcException e) {
      throw new AssertionError("the generator wrote a file that does not check:\n" + file.text()
          + "\n" + e.getMessage(), e);
    }
    assertEquals(file.models().size(), program.models().size(), file.text());
    for (int i = 0; i < file.models().size(); i++) {
      CheckedModel model = program.model(file.models().get(i)).orElseThrow();
      LoadedModel m = ModelCompiler.compile(Planner.plan(model));
      ReferenceModel reference = new ReferenceModel(model);
      int batch = 1 + (int) Math.floorMod(seed * 7 + i, 4);
      ModelHarness.Point pt = ModelHarness.randomPoint(m, batch, -1, 1, seed * 31 + i);
      List<String> failures = new ArrayList<>();
      compare(m, reference, pt, failures);
      failures.addAll(ModelHarness.finiteDifferences(m, pt, 200, 1e-6, !file.smooth().get(i)));
      if (!failures.isEmpty()) {
        fail("model " + m.name() + ", batch " + batch + ":\n  " + String.join("\n  ", failures)
            + "\n--- " + "random" + seed + ".grad\n" + file.text() + "--- values (gradc eval --model "
            + m.name() + " --values)\n" + valuesJson(m, pt));
      }
    }
  }

  /** Generated code against the reference evaluator: loss, gradient, every output. */
  private static void compare(LoadedModel m, ReferenceModel reference, ModelHarness.Point pt,
      List<String> failures) {
    double[] grad = new double[m.parameterCount()];
    double[] want = new double[m.parameterCount()];
    double loss = m.lossAndGradient(pt.theta(), pt.inputs(), pt.targets(), pt.batch(), grad);
    double wantLoss = reference.lossAndGradient(pt.theta(), pt.inputs(), pt.targets(), pt.batch(),
        want);
    differences("loss", new double[] {wantLoss}, new double[] {loss}, failures);
    for (TensorSpec p : m.parameters()) {
      differences("d/d" + p.name(), slice(want, p.offset(), p.size()),
          slice(grad, p.offset(), p.size()), failures);
    }
    if (m.outputWidth() == 0) {
      return;
    }
    double[] out = m.predict(pt.theta(), pt.inputs(), pt.targets(), pt.batch());
    double[] wantOut = reference.predict(pt.theta(), pt.inputs(), pt.targets(), pt.batch());
    int w = m.outputWidth();
    for (TensorSpec o : m.outputs()) {
      for (int e = 0; e < pt.batch(); e++) {
        differences("output " + o.name() + " of example " + e,
            slice(wantOut, e * w + o.offset(), o.size()), slice(out, e * w + o.offset(), o.size()),
            failures);
      }
    }
    if (m.predictReadsTargets()) {
      assertThrows(IllegalArgumentException.class, () -> m.predict(pt.theta(), pt.inputs(),
          pt.batch()));
    } else {
      assertArrayEquals(out, m.predict(pt.theta(), pt.inputs(), pt.batch()), "without targets");
    }
  }

  private static void differences(String what, double[] want, double[] got, List<String> failures) {
    for (int i = 0; i < want.length; i++) {
      if (!ModelHarness.close(want[i], got[i], 1e-12)) {
        failures.add(what + "[" + i + "]: reference " + want[i] + ", generated " + got[i]);
      }
    }
  }

  private static double[] slice(double[] a, int from, int size) {
    return java.util.Arrays.copyOfRange(a, from, from + size);
  }

  /** The point as a values file: {"params": {...}, "batch": {...}}. */
  static String valuesJson(LoadedModel m, ModelHarness.Point pt) {
    StringBuilder b = new StringBuilder("{\"params\": {");
    List<TensorSpec> ps = m.parameters();
    for (int i = 0; i < ps.size(); i++) {
      b.append(i == 0 ? "" : ", ").append('"').append(ps.get(i).name()).append("\": ");
      tensor(b, pt.theta(), ps.get(i).offset(), ps.get(i).shape());
    }
    b.append("}, \"batch\": {");
    List<TensorSpec> leaves = new ArrayList<>(m.inputs());
    leaves.addAll(m.targets());
    for (int i = 0; i < leaves.size(); i++) {
      TensorSpec s = leaves.get(i);
      boolean input = i < m.inputs().size();
      double[] flat = input ? pt.inputs() : pt.targets();
      int width = input ? m.inputWidth() : m.targetWidth();
      b.append(i == 0 ? "" : ", ").append('"').append(s.name()).append("\": [");
      for (int e = 0; e < pt.batch(); e++) {
        b.append(e == 0 ? "" : ", ");
        tensor(b, flat, e * width + s.offset(), s.shape());
      }
      b.append(']');
    }
    return b.append("}}\n").toString();
  }

  private static void tensor(StringBuilder b, double[] flat, int offset, int[] shape) {
    if (shape.length == 0) {
      b.append(String.format(Locale.ROOT, "%.17g", flat[offset]));
      return;
    }
    int inner = 1;
    for (int d = 1; d < shape.length; d++) {
      inner *= shape[d];
    }
    b.append('[');
    for (int i = 0; i < shape[0]; i++) {
      b.append(i == 0 ? "" : ", ");
      tensor(b, flat, offset + i * inner, java.util.Arrays.copyOfRange(shape, 1, shape.length));
    }
    b.append(']');
  }
}
