package org.gradc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gradc.runtime.CompiledModel;
import org.junit.jupiter.api.Test;

/**
 * Learning-rate schedules: the first steps' rates worked out by hand, as PyTorch's StepLR and the
 * cosine schedule with linear warmup give them, and the trainer applying them per step.
 */
class ScheduleTest {
  /** loss = w·x with x = 1: the gradient is exactly 1, so sgd moves w by −lr each step. */
  private static final CompiledModel SLOPE = Models.compile("""
      model Slope {
        input x
        param w = 0
        loss w * x
      }
      """);

  /** The learning rate of each of the first {@code steps} steps, read off w. */
  private static List<Double> rates(Schedule s, double lr, int steps) {
    Trainer t = Trainer.of(SLOPE, Optimizer.sgd(lr)).batchSize(1).epochs(steps).schedule(s);
    double[] theta = {0};
    List<Double> rates = new ArrayList<>();
    double[] before = {0};
    t.fit(theta, new double[] {1}, new double[0], 1, TrainListener.onEpoch((epoch, loss, w) -> {
      rates.add(before[0] - w[0]);
      before[0] = w[0];
      return true;
    }));
    return rates;
  }

  private static void assertRates(double[] expected, List<Double> actual) {
    assertEquals(expected.length, actual.size());
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual.get(i), 1e-15, "step " + i + ": " + actual);
    }
  }

  @Test
  void stepHalvesEveryTwoSteps() {
    // StepLR(step_size=2, gamma=0.5), stepped after every optimizer step: 0.1 0.1 0.05 0.05 0.025
    assertRates(new double[] {0.1, 0.1, 0.05, 0.05, 0.025}, rates(Schedule.parse("step(every=2, gamma=0.5)"), 0.1, 5));
  }

  @Test
  void cosineWarmsUpLinearlyThenDecaysToZero() {
    // warmup 2 of 6 steps: t/2 for t < 2, then ½(1 + cos(π (t − 2) / 4))
    double c = Math.cos(Math.PI / 4);
    assertRates(new double[] {0, 0.05, 0.1, 0.1 * 0.5 * (1 + c), 0.05, 0.1 * 0.5 * (1 - c)},
        rates(Schedule.parse("cosine(warmup=2)"), 0.1, 6));
    // without warmup: CosineAnnealingLR(T_max=4): 1, ½(1 + cos π/4), ½, ½(1 − cos π/4)
    assertRates(new double[] {0.2, 0.1 * (1 + c), 0.1, 0.1 * (1 - c)},
        rates(Schedule.parse("cosine"), 0.2, 4));
  }

  @Test
  void constantKeepsTheRate() {
    assertRates(new double[] {0.3, 0.3, 0.3}, rates(Schedule.CONSTANT, 0.3, 3));
  }

  @Test
  void theTrainBlockDeclaresASchedule() {
    CompiledModel m = Models.compile("""
        model S {
          input x
          param w = 0
          loss w * x
          train {
            optimizer sgd(lr = 0.1)
            schedule step(every = 3, gamma = 0.5)
          }
        }
        """);
    Trainer t = Trainer.fromDefaults(m);
    assertEquals(new Schedule.Step(3, 0.5), t.schedule());
    assertTrue(t.toString().endsWith(", schedule step(every=3, gamma=0.5)"), t.toString());
    CompiledModel constant = Models.compile("""
        model C {
          input x
          param w = 0
          loss w * x
          train {
            schedule constant
          }
        }
        """);
    assertEquals(Schedule.CONSTANT, Trainer.fromDefaults(constant).schedule());
  }

  @Test
  void badSchedulesAreRejected() {
    assertEquals("step needs every = STEPS, e.g. step(every=100, gamma=0.5)",
        assertThrows(IllegalArgumentException.class, () -> Schedule.parse("step(gamma=0.5)")).getMessage());
    assertEquals("unknown schedule 'linear' (expected constant, step or cosine)",
        assertThrows(IllegalArgumentException.class, () -> Schedule.parse("linear")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Schedule.parse("cosine(warmup=1.5)"));
    assertThrows(IllegalArgumentException.class, () -> Schedule.parse("step(every=0)"));
    assertThrows(IllegalArgumentException.class, () -> Schedule.of("cosine", Map.of("gamma", 0.5)));
  }
}
