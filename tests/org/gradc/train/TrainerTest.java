package org.gradc.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gradc.runtime.CompiledModel;
import org.junit.jupiter.api.Test;

/** Optimizer arithmetic against hand-computed values, and the training loop's contract. */
class TrainerTest {
  /** SPEC §5.2: yhat = w * x, loss (y - yhat)^2, x = 2, w = 0.5, y = 4. */
  static final String LINEAR = """
      model Linear {
        input  x
        target y
        param w = 0.5
        yhat = w * x
        output yhat
        loss (y - yhat)^2
        train {
          optimizer sgd(lr = 0.1)
          batch 1
          epochs 1
        }
      }
      """;

  static CompiledModel linear() {
    return Models.compile(LINEAR);
  }

  private static double[] fitLinear(Trainer t) {
    double[] theta = t.model().initialParameters(42);
    assertEquals(0.5, theta[0]);
    TrainResult r = t.fit(theta, new double[] {2}, new double[] {4}, 1);
    assertEquals(TrainResult.Status.COMPLETED, r.status());
    return theta;
  }

  @Test
  void oneSgdStepReproducesTheReferenceNumbers() throws IOException {
    CompiledModel m = Models.compile(Files.readString(Path.of("examples/seeds/linear.grad")));
    double[] grad = new double[1];
    double[] theta = m.initialParameters(42);
    assertEquals(9, m.lossAndGradient(theta, new double[] {2}, new double[] {4}, 1, grad), 1e-12);
    assertEquals(-12, grad[0], 1e-12);
    Trainer t = Trainer.fromDefaults(m);
    assertEquals("sgd(lr=0.1), batch 1, 1 epochs, seed 42", t.toString());
    TrainResult r = t.fit(theta, new double[] {2}, new double[] {4}, 1);
    assertEquals(1.7, theta[0], 1e-12);
    assertEquals(1, r.steps());
    assertEquals(9, r.lastEpochLoss(), 1e-12);    // the step's batch loss, before its update
    assertEquals(0.36, r.finalLoss(), 1e-12);     // (1.7 · 2 − 4)², at the trained w
    assertEquals(List.of(9.0), java.util.Arrays.stream(r.epochLosses()).boxed().toList());
    assertTrue(r.toString().startsWith("TrainResult[COMPLETED, 1 epochs, 1 steps, final loss 0.36"),
        r.toString());
    assertEquals(r, new TrainResult(r.status(), 1, 1, r.finalLoss(), 9, new double[] {9}, 0, 0,
        r.seconds(), 1, r.state()));
  }

  @Test
  void lambdaListenersHearEpochsAndSteps() throws IOException {
    CompiledModel m = Models.compile(Files.readString(Path.of("examples/seeds/linear.grad")));
    Trainer t = Trainer.fromDefaults(m).epochs(10);
    List<Integer> epochs = new ArrayList<>();
    TrainResult r = t.fit(m.initialParameters(1), new double[] {2}, new double[] {4}, 1,
        TrainListener.onEpoch((epoch, loss, theta) -> epochs.add(epoch) && epoch < 3));
    assertEquals(List.of(1, 2, 3), epochs);
    assertEquals(TrainResult.Status.STOPPED, r.status());
    assertEquals(3, r.epochs());
    int[] steps = {0};
    TrainResult s = t.fit(m.initialParameters(1), new double[] {2}, new double[] {4}, 1,
        TrainListener.onStep((epoch, step, batch, loss) -> ++steps[0] < 5));
    assertEquals(5, steps[0]);
    assertEquals(5, s.steps());
    assertEquals(TrainResult.Status.STOPPED, s.status());
  }

  @Test
  void adamMatchesTwoHandComputedSteps() {
    // textbook Adam: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr * mhat / (sqrt(vhat) + eps)
    double w = 0.5;
    double m = 0;
    double v = 0;
    double[] after = new double[2];
    for (int t = 1; t <= 2; t++) {
      double g = -2 * (4 - w * 2) * 2;
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      double mhat = m / (1 - Math.pow(0.9, t));
      double vhat = v / (1 - Math.pow(0.999, t));
      w -= 0.1 * mhat / (Math.sqrt(vhat) + 1e-8);
      after[t - 1] = w;
    }
    assertEquals(0.5999999999166666, after[0], 1e-15);
    assertEquals(0.6997609382148022, after[1], 1e-15);
    Trainer one = Trainer.of(linear(), Optimizer.adam(0.1)).batchSize(1).epochs(1);
    assertEquals(after[0], fitLinear(one)[0], 1e-14);
    assertEquals(after[1], fitLinear(one.epochs(2))[0], 1e-14);
  }

  @Test
  void momentumStartsAsSgdThenAccumulates() {
    Trainer t = Trainer.of(linear(), Optimizer.momentum(0.1, 0.9)).batchSize(1).epochs(1);
    assertEquals(1.7, fitLinear(t)[0], 1e-12);
    // second step: g = -2 (4 - 3.4) 2 = -2.4; v = 0.9 * -12 - 2.4 = -13.2; w = 1.7 + 1.32
    assertEquals(3.02, fitLinear(t.epochs(2))[0], 1e-12);
  }

  @Test
  void clipScalesTheGradientToTheMaximumNorm() {
    Trainer t = Trainer.of(linear(), Optimizer.sgd(0.1)).batchSize(1).epochs(1).clip(3);
    // |g| = 12 > 3: g = -12 * 3 / (12 + 1e-6), as torch.nn.utils.clip_grad_norm_
    double expected = 0.5 - 0.1 * (-12 * (3 / (12 + 1e-6)));
    assertEquals(expected, fitLinear(t)[0], 0);
    // a norm below the threshold leaves the gradient alone
    assertEquals(1.7, fitLinear(t.clip(20))[0], 1e-12);
  }

  @Test
  void weightDecayAddsL2ToTheGradient() {
    Trainer t = Trainer.of(linear(), Optimizer.sgd(0.1)).batchSize(1).epochs(1).weightDecay(0.5);
    // g = -12 + 0.5 * 0.5 = -11.75; w = 0.5 + 1.175
    double expected = 0.5 - 0.1 * (-12 + 0.5 * 0.5);
    assertEquals(expected, fitLinear(t)[0], 0);
    assertEquals(1.675, fitLinear(t)[0], 1e-12);
  }

  @Test
  void clipComesBeforeWeightDecay() {
    Trainer t = Trainer.of(linear(), Optimizer.sgd(0.1)).batchSize(1).epochs(1).clip(3).weightDecay(0.5);
    double expected = 0.5 - 0.1 * (-12 * (3 / (12 + 1e-6)) + 0.5 * 0.5);
    assertEquals(expected, fitLinear(t)[0], 0);
  }

  @Test
  void trainBlockSettingsAreTheDefaults() {
    CompiledModel m = Models.compile("""
        model M {
          input x
          target y
          param w = 0.5
          loss (y - w * x)^2
          train {
            optimizer adam(lr = 0.05, beta1 = 0.8)
            batch 3
            epochs 7
            clip 2.5
            weight_decay 0.01
            seed 9
          }
        }
        """);
    Trainer t = Trainer.fromDefaults(m);
    assertEquals(new Optimizer.Adam(0.05, 0.8, 0.999, 1e-8), t.optimizer());
    assertEquals(3, t.batchSize());
    assertEquals(7, t.epochs());
    assertEquals(2.5, t.clip());
    assertEquals(0.01, t.weightDecay());
    assertEquals(9, t.seed());
    Trainer d = Trainer.fromDefaults(linearWithoutTrainBlock());
    assertEquals(Optimizer.sgd(0.01), d.optimizer());
    assertEquals(32, d.batchSize());
    assertEquals(100, d.epochs());
    assertEquals(42, d.seed());
  }

  static CompiledModel linearWithoutTrainBlock() {
    return Models.compile("model L { input x\n target y\n param w = 0.5\n loss (y - w * x)^2 }");
  }

  @Test
  void lastPartialBatchIsKeptAndEveryExampleIsSeenOncePerEpoch() {
    CompiledModel m = linearWithoutTrainBlock();
    int examples = 10;
    double[] x = new double[examples];
    double[] y = new double[examples];
    for (int i = 0; i < examples; i++) {
      x[i] = i + 1;
      y[i] = 2 * (i + 1);
    }
    List<Integer> sizes = new ArrayList<>();
    Trainer t = Trainer.of(m, Optimizer.sgd(0.001)).batchSize(4).epochs(2);
    TrainResult r = t.fit(m.initialParameters(1), x, y, examples, new TrainListener() {
      @Override
      public boolean onStep(int epoch, int step, int batchSize, double loss) {
        sizes.add(batchSize);
        return true;
      }
    });
    assertEquals(List.of(4, 4, 2, 4, 4, 2), sizes);
    assertEquals(6, r.steps());
    assertEquals(20, r.examplesSeen());
    assertEquals(3, t.stepsPerEpoch(examples));
  }

  @Test
  void sameSeedSameRunDifferentSeedDifferentOrder() {
    CompiledModel m = linearWithoutTrainBlock();
    double[] x = {1, 2, 3, 4, 5, 6, 7};
    double[] y = {1, 5, 2, 8, 3, 9, 4};
    Trainer t = Trainer.of(m, Optimizer.sgd(0.01)).batchSize(2).epochs(3);
    double[] a = m.initialParameters(1);
    double[] b = m.initialParameters(1);
    double[] c = m.initialParameters(1);
    t.seed(5).fit(a, x, y, 7);
    t.seed(5).fit(b, x, y, 7);
    t.seed(6).fit(c, x, y, 7);
    assertArrayEquals(a, b, 0);
    assertTrue(a[0] != c[0]);
  }

  @Test
  void listenerCanStopEarly() {
    CompiledModel m = linearWithoutTrainBlock();
    Trainer t = Trainer.of(m, Optimizer.sgd(0.01)).batchSize(1).epochs(50);
    TrainResult r = t.fit(m.initialParameters(1), new double[] {1, 2}, new double[] {2, 4}, 2,
        new TrainListener() {
          @Override
          public boolean onEpoch(int epoch, double loss, double[] theta) {
            return epoch < 3;
          }
        });
    assertEquals(TrainResult.Status.STOPPED, r.status());
    assertEquals(3, r.epochs());
    assertEquals(3, r.epochLosses().length);
    assertEquals(6, r.steps());
  }

  @Test
  void nonFiniteLossStopsAndKeepsTheLastGoodParameters() {
    CompiledModel m = linearWithoutTrainBlock();
    // lr 1 on x = 10 diverges: w grows by a factor ~400 per step until it overflows
    Trainer t = Trainer.of(m, Optimizer.sgd(1)).batchSize(1).epochs(1000).shuffle(false);
    double[] theta = m.initialParameters(1);
    List<double[]> seen = new ArrayList<>();
    TrainResult r = t.fit(theta, new double[] {10}, new double[] {1}, 1, new TrainListener() {
      @Override
      public boolean onEpoch(int epoch, double loss, double[] params) {
        seen.add(params.clone());
        return true;
      }
    });
    assertEquals(TrainResult.Status.DIVERGED, r.status());
    assertTrue(r.stopEpoch() > 1 && r.stopEpoch() < 1000, "epoch " + r.stopEpoch());
    assertEquals(1, r.stopStep());
    assertTrue(Double.isFinite(theta[0]));
    double[] grad = new double[1];
    assertTrue(Double.isFinite(m.lossAndGradient(theta, new double[] {10}, new double[] {1}, 1, grad)));
    // the restored parameters are those before the last applied update
    assertEquals(seen.get(seen.size() - 2)[0], theta[0]);
    assertEquals(r.stopEpoch() - 1, r.epochs());
  }

  @Test
  void badArgumentsAreRejected() {
    CompiledModel m = linearWithoutTrainBlock();
    Trainer t = Trainer.of(m, Optimizer.sgd(0.1));
    assertThrows(IllegalArgumentException.class, () -> t.batchSize(0));
    assertThrows(IllegalArgumentException.class, () -> t.epochs(-1));
    assertThrows(IllegalArgumentException.class, () -> t.clip(-1));
    assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0));
    assertThrows(IllegalArgumentException.class, () -> Optimizer.byName("rmsprop"));
    assertThrows(IllegalArgumentException.class,
        () -> t.fit(new double[] {0}, new double[] {1, 2}, new double[] {1}, 2));
  }
}
