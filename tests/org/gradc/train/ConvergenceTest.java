package org.gradc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gradc.runtime.CompiledModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The example networks reach their targets: XOR (SPEC §5.4) with each optimizer, Iris, spirals. */
class ConvergenceTest {
  private static DataSet data(CompiledModel m, String csv) throws DataException {
    return Models.data(csv, m);
  }

  private static void assertXor(Trainer t) throws DataException {
    CompiledModel m = t.model();
    DataSet d = data(m, "examples/data/xor.csv");
    double[] theta = m.initialParameters(t.seed());
    TrainResult r = t.fit(theta, d.inputs(), d.targets(), d.examples());
    assertEquals(TrainResult.Status.COMPLETED, r.status());
    double[] out = m.predict(theta, d.inputs(), 4);
    double[] expected = {0, 1, 1, 0};
    for (int i = 0; i < 4; i++) {
      assertEquals(expected[i], Math.rint(out[i]), t.optimizer() + ": outputs " + java.util.Arrays.toString(out));
    }
    assertTrue(r.finalLoss() < r.epochLosses()[0], "the loss went down");
    assertEquals(t.loss(theta, d.inputs(), d.targets(), d.examples()), r.finalLoss(), 0,
        "the final loss is the loss at the trained parameters");
  }

  @Test
  void xorWithTheTrainBlocksSgd() throws DataException {
    // examples/xor.grad: sgd(lr = 0.5), batch 4, 5000 epochs
    assertXor(Trainer.fromDefaults(Models.compileFile("examples/xor.grad")));
  }

  @Test
  void xorWithMomentum() throws DataException {
    assertXor(Trainer.of(Models.compileFile("examples/xor.grad"), Optimizer.momentum(0.5, 0.9))
        .batchSize(4).epochs(1500).seed(42));
  }

  @Test
  void xorWithAdam() throws DataException {
    assertXor(Trainer.of(Models.compileFile("examples/xor.grad"), Optimizer.adam(0.05))
        .batchSize(4).epochs(1000).seed(42));
  }

  @Test
  void xorWithLayersAndMiniBatchesOfOne() throws DataException {
    assertXor(Trainer.of(Models.compileFile("examples/xor_layers.grad"), Optimizer.adam(0.02))
        .batchSize(1).epochs(600).seed(42));
  }

  private static double trainAccuracy(String grad, String csv, Long seed) throws DataException {
    CompiledModel m = Models.compileFile(grad);
    Trainer t = Trainer.fromDefaults(m);
    if (seed != null) {
      t = t.seed(seed);
    }
    DataSet d = data(m, csv);
    double[] theta = m.initialParameters(t.seed());
    TrainResult r = t.fit(theta, d.inputs(), d.targets(), d.examples());
    assertEquals(TrainResult.Status.COMPLETED, r.status());
    double[] out = t.predict(theta, d.inputs(), d.examples());
    return Metrics.accuracy(m, out, d.targets(), d.examples()).orElseThrow();
  }

  /** With the train block's settings, and with other seeds (not a lucky draw). */
  @ParameterizedTest
  @NullSource
  @ValueSource(longs = {2, 5})
  void irisReaches95PercentTrainingAccuracy(Long seed) throws DataException {
    double acc = trainAccuracy("examples/iris.grad", "examples/data/iris.csv", seed);
    assertTrue(acc >= 0.95, "accuracy " + acc);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(longs = {1, 6})
  void spiralsReach95PercentWithTwoHiddenTanhLayers(Long seed) throws DataException {
    double acc = trainAccuracy("examples/spirals.grad", "examples/data/spirals.csv", seed);
    assertTrue(acc >= 0.95, "accuracy " + acc);
  }
}
