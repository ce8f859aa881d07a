package org.gradc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.gradc.Gradc;
import org.gradc.codegen.RandomModels;
import org.gradc.diag.SourceFile;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused step ({@link TrainStep}, and {@link Trainer#fit} through it) is bit for bit the
 * separate passes it replaced ({@link SeparatePasses}): θ, the loss, the divergence verdict,
 * the optimizer's buffers and step count after every step, for f64 and f32, every optimizer,
 * with and without clipping, weight decay and a schedule, on random models, every example
 * model, and models built to diverge in each way a step can.
 */
class FusedStepTest {
  private static final int STEPS = 25;

  /** Every combination of optimizer, clipping, weight decay and schedule. */
  static List<Trainer> configurations(CompiledModel m) {
    List<Trainer> out = new ArrayList<>();
    for (Optimizer o : new Optimizer[] {Optimizer.sgd(0.05), Optimizer.momentum(0.05, 0.9),
        Optimizer.adam(0.01)}) {
      for (double clip : new double[] {0, 0.5}) {
        for (double decay : new double[] {0, 0.01}) {
          for (Schedule s : new Schedule[] {Schedule.CONSTANT,
              Schedule.of("cosine", Map.of("warmup", 3.0))}) {
            out.add(Trainer.of(m, o).clip(clip).weightDecay(decay).schedule(s));
          }
        }
      }
    }
    return out;
  }

  static Stream<String> sources() throws IOException {
    List<String> files = new ArrayList<>();
    for (long seed = 1; seed <= 10; seed++) {
      files.add("random " + seed);
    }
    try (Stream<Path> ex = Files.list(Path.of("examples"))) {
      ex.map(Path::toString).filter(p -> p.endsWith(".grad")).sorted().forEach(files::add);
    }
    return files.stream();
  }

  static List<CompiledModel> models(String source, Precision p) throws IOException {
    String text = source.startsWith("random ")
        ? RandomModels.file(Long.parseLong(source.substring(7))).text()
        : Files.readString(Path.of(source));
    List<CompiledModel> out = new ArrayList<>();
    for (var model : Gradc.load(new SourceFile(source, text)).models()) {
      out.add(model.compile(p));
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("sources")
  void fusedStepsAreTheSeparatePassesBitForBit(String source) throws IOException {
    for (Precision p : Precision.values()) {
      for (CompiledModel m : models(source, p)) {
        Random r = new Random(source.hashCode());
        for (Trainer t : configurations(m)) {
          compareSteps(t, m.initialParameters(r.nextLong()), batches(m, r, STEPS), source);
        }
      }
    }
  }

  /**
   * Models that diverge: sgd with a huge learning rate (the loss overflows), sqrt at 0 (a finite
   * loss with a NaN gradient) and a finite gradient whose sum of squares overflows — each after
   * some good steps, so the reset goes back to parameters the steps produced.
   */
  @Test
  void divergenceResetsAlike() {
    String head = " input x[2]\n target y[1]\n param w[2, 1] = uniform(1, 2)\n";
    // what the seventh batch becomes: as drawn, scaled by 1e200, or all zeros
    Map<String, Double> models = Map.of(
        "model Quadratic {\n" + head + " loss mse(x @ w, y)\n}\n", 1.0,
        "model Linear {\n" + head + " loss mean(x @ w - y)\n}\n", 1e200,
        "model Root {\n" + head + " loss sum(sqrt(x * x @ (w * w))) + mse(y, y)\n}\n", 0.0);
    int diverged = 0;
    for (Precision p : Precision.values()) {
      for (Map.Entry<String, Double> e : models.entrySet()) {
        CompiledModel m = Gradc.load(new SourceFile("diverging.grad", e.getKey())).models().get(0)
            .compile(p);
        List<double[][]> data = batches(m, new Random(4), STEPS);
        double[] late = data.get(6)[0];
        java.util.Arrays.setAll(late, i -> late[i] * e.getValue());
        for (Trainer t : configurations(m)) {
          for (Trainer u : new Trainer[] {t, t.optimizer(t.optimizer().withLearningRate(1e6))}) {
            diverged += compareSteps(u, m.initialParameters(1), data, e.getKey()) ? 1 : 0;
          }
        }
      }
    }
    assertTrue(diverged >= 150, "only " + diverged + " runs diverged");
  }

  /** Runs both step by step on the same batches; returns whether they diverged. */
  private static boolean compareSteps(Trainer t, double[] theta0, List<double[][]> data,
      String source) {
    CompiledModel m = t.model();
    double[] a = theta0.clone();
    double[] b = theta0.clone();
    SeparatePasses want = new SeparatePasses(t, STEPS);
    TrainStep got = t.newStep(STEPS);
    String where = source + " " + m.name() + " " + m.precision() + " " + t;
    for (int s = 0; s < data.size(); s++) {
      double[][] batch = data.get(s);
      int size = batch[0].length / m.inputWidth();
      double wantLoss = want.step(a, batch[0], batch[1], size);
      double gotLoss = got.step(b, batch[0], batch[1], size);
      String at = where + ", step " + (s + 1);
      assertBits(new double[] {wantLoss}, new double[] {gotLoss}, at + ": loss");
      assertEquals(want.diverged, got.diverged(), at + ": diverged");
      assertBits(a, b, at + ": θ");
      assertEquals(want.steps, got.steps(), at + ": steps");
      double[][] wb = want.buffers();
      double[][] gb = got.state().buffers();
      assertEquals(wb.length, gb.length, at + ": buffers");
      for (int i = 0; i < wb.length; i++) {
        assertBits(wb[i], gb[i], at + ": buffer " + i);
      }
      if (want.diverged) {
        return true;
      }
    }
    return false;
  }

  static void assertBits(double[] want, double[] got, String what) {
    assertEquals(want.length, got.length, what + ": length");
    for (int i = 0; i < want.length; i++) {
      if (Double.doubleToLongBits(want[i]) != Double.doubleToLongBits(got[i])) {
        fail(what + "[" + i + "]: separate passes " + want[i] + ", fused " + got[i]);
      }
    }
  }

  /** {@code count} random batches of 1 to 4 examples, inputs in [-1, 1], targets in [0, 1]. */
  static List<double[][]> batches(CompiledModel m, Random r, int count) {
    List<double[][]> out = new ArrayList<>();
    for (int s = 0; s < count; s++) {
      int size = 1 + r.nextInt(4);
      double[] x = new double[size * m.inputWidth()];
      double[] y = new double[size * m.targetWidth()];
      java.util.Arrays.setAll(x, i -> 2 * r.nextDouble() - 1);
      java.util.Arrays.setAll(y, i -> r.nextDouble());
      out.add(new double[][] {x, y});
    }
    return out;
  }

  /**
   * {@code fit} is its steps: with shuffled, uneven batches, per-example clipping and a listener,
   * it ends where the separate passes driven over the same batches end, and a resumed run ends
   * where the uninterrupted one does.
   */
  @Test
  void fitRunsTheFusedStep() throws DataException {
    for (Precision p : Precision.values()) {
      CompiledModel m = Float32TrainingTest.f32("examples/iris.grad");
      m = p == Precision.F64 ? Models.compileFile("examples/iris.grad") : m;
      DataSet d = Models.data("examples/data/iris.csv", m);
      for (Trainer base : configurations(m)) {
        for (Trainer t : new Trainer[] {base.batchSize(16).epochs(3),
            base.batchSize(7).epochs(2).clipPerExample(0.3).seed(9)}) {
          double[] theta = m.initialParameters(5);
          double[] want = theta.clone();
          List<Double> losses = new ArrayList<>();
          TrainResult r = t.fit(theta, d.inputs(), d.targets(), d.examples(),
              TrainListener.onStep((epoch, step, size, loss) -> losses.add(loss)), null);
          SeparatePasses ref = new SeparatePasses(t, (long) t.epochs() * t.stepsPerEpoch(150));
          Batches batches = new Batches(150, t.batchSize(), m.inputWidth(), m.targetWidth(),
              t.seed());
          List<Double> wantLosses = new ArrayList<>();
          ref.start(want);
          for (int epoch = 1; epoch <= t.epochs(); epoch++) {
            batches.shuffle(epoch);
            while (batches.next(d.inputs(), d.targets())) {
              wantLosses.add(ref.step(want, batches.x, batches.y, batches.size));
            }
          }
          assertEquals(TrainResult.Status.COMPLETED, r.status(), t.toString());
          assertEquals(wantLosses, losses, t + ": step losses");
          assertBits(want, theta, t + ": θ");
          assertEquals(ref.steps, r.state().step(), t + ": steps");
          for (int i = 0; i < ref.buffers().length; i++) {
            assertBits(ref.buffers()[i], r.state().buffers()[i], t + ": buffer " + i);
          }
        }
      }
    }
  }

  /** The optimizer state's own step is the reference's update, without clipping or decay. */
  @Test
  void optimizerStateStepIsTheSameUpdate() {
    CompiledModel m = Models.compileFile("examples/xor.grad");
    Random r = new Random(8);
    for (Trainer t : configurations(m)) {
      if (t.clip() > 0 || t.weightDecay() > 0 || !(t.schedule() instanceof Schedule.Constant)) {
        continue;
      }
      Optimizer.State state = t.optimizer().newState(m.parameterCount());
      SeparatePasses ref = new SeparatePasses(t, STEPS);
      double[] a = m.initialParameters(3);
      double[] b = a.clone();
      double[] grad = new double[a.length];
      for (double[][] batch : batches(m, r, STEPS)) {
        int size = batch[0].length / 2;
        ref.step(a, batch[0], batch[1], size);
        m.lossAndGradient(b, batch[0], batch[1], size, grad);
        state.step(b, grad);
        assertBits(a, b, t + ": θ");
      }
      assertEquals(STEPS, state.steps());
    }
  }

  @Test
  void aRunHasAtLeastOneStep() {
    Trainer t = Trainer.of(Models.compileFile("examples/xor.grad"), Optimizer.sgd(0.1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.newStep(0));
    assertEquals("a run has at least 1 step, got 0", e.getMessage());
    assertEquals(0, t.newStep(1).steps());
  }
}
