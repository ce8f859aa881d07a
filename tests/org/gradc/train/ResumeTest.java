package org.gradc.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.gradc.runtime.CompiledModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * N epochs, then N more from the saved state (through the checkpoint's JSON), equal 2N epochs in
 * one run bit for bit, for each optimizer and a schedule that spans the break; and early stopping.
 */
class ResumeTest {
  private static final CompiledModel SPIRALS = Models.compileFile("examples/spirals.grad");

  @ParameterizedTest
  @ValueSource(strings = {"sgd", "momentum", "adam"})
  void halfAndHalfEqualsWhole(String kind) throws DataException {
    DataSet d = Models.data("examples/data/spirals.csv", SPIRALS);
    Trainer t = Trainer.of(SPIRALS, Optimizer.byName(kind).withLearningRate(0.01)).batchSize(24)
        .seed(5).schedule(Schedule.parse("cosine(warmup=10)")).epochs(8);
    double[] whole = SPIRALS.initialParameters(3);
    TrainResult all = t.fit(whole, d.inputs(), d.targets(), d.examples());

    double[] half = SPIRALS.initialParameters(3);
    TrainResult first = t.fit(half, d.inputs(), d.targets(), d.examples(), TrainListener.onEpoch(
        (epoch, loss, theta) -> epoch < 4), null);
    assertEquals(TrainResult.Status.STOPPED, first.status());
    assertEquals(4, first.state().epoch());
    String json = new Checkpoint(half, ColumnMap.DEFAULT, Optional.of(first.state())).toJson(SPIRALS);
    java.nio.file.Path file = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
        "resume-" + kind + "-" + ProcessHandle.current().pid() + ".json");
    try {
      java.nio.file.Files.writeString(file, json);
      Checkpoint saved = Checkpoint.read(file, SPIRALS);
      double[] theta = saved.params();
      TrainResult rest = t.fit(theta, d.inputs(), d.targets(), d.examples(), null, saved.state().get());
      assertArrayEquals(whole, theta, 0);
      assertEquals(all.state(), rest.state());
      assertEquals(all.steps(), first.steps() + rest.steps());
      assertArrayEquals(java.util.Arrays.copyOfRange(all.epochLosses(), 4, 8), rest.epochLosses(), 0);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      file.toFile().delete();
    }
  }

  @Test
  void aStateThatDoesNotFitIsRefused() throws DataException {
    DataSet d = Models.data("examples/data/spirals.csv", SPIRALS);
    Trainer t = Trainer.of(SPIRALS, Optimizer.adam(0.01)).epochs(2);
    TrainResult r = t.fit(SPIRALS.initialParameters(1), d.inputs(), d.targets(), d.examples());
    assertEquals("the saved run has already trained 2 epochs; give a larger --epochs",
        t.cannotResume(r.state(), d.examples()));
    assertNull(t.epochs(3).cannotResume(r.state(), d.examples()));
    assertTrue(t.epochs(3).optimizer(Optimizer.sgd(1)).cannotResume(r.state(), d.examples())
        .startsWith("the saved run used the optimizer adam"));
    assertThrows(IllegalArgumentException.class, () -> t.epochs(3).seed(9).fit(
        SPIRALS.initialParameters(1), d.inputs(), d.targets(), d.examples(), null, r.state()));
  }

  @Test
  void earlyStoppingKeepsTheBestParameters() {
    EarlyStopping s = new EarlyStopping(2);
    assertTrue(s.observe(1, 0.5, new double[] {1}));
    assertTrue(s.observe(2, 0.4, new double[] {2}));
    assertTrue(s.observe(3, 0.4, new double[] {3}));   // not strictly lower: one epoch without
    assertFalse(s.observe(4, 0.6, new double[] {4}));  // two: stop
    double[] theta = {9};
    assertTrue(s.restore(theta));
    assertArrayEquals(new double[] {2}, theta);
    assertEquals(2, s.bestEpoch());
    assertFalse(new EarlyStopping(1).restore(theta));
  }
}
