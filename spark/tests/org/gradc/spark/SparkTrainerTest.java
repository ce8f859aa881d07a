package org.gradc.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.gradc.Gradc;
import org.gradc.runtime.CompiledModel;
import org.gradc.train.DataException;
import org.gradc.train.DataSet;
import org.gradc.train.Optimizer;
import org.gradc.train.TrainListener;
import org.gradc.train.TrainResult;
import org.gradc.train.Trainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each method trains the examples as gradc's own trainer would, reproducibly. */
class SparkTrainerTest {
  static CompiledModel iris;
  static DataSet irisData;
  static ModelBundle irisBundle;
  static SparkData irisSpark;

  @BeforeAll
  static void load() throws IOException, DataException {
    iris = TestSpark.compile("iris.grad");
    irisData = TestSpark.read("iris.csv", iris);
    irisBundle = ModelBundle.of(iris);
    irisSpark = SparkData.fromRows(TestSpark.rows(irisData, 2, 7), irisBundle, 64);
  }

  @AfterAll
  static void free() {
    irisSpark.unpersist();
  }

  @Test
  void synchronousFullBatchSgdReproducesSingleJvmTraining() {
    double[] local = iris.initialParameters(1);
    double[] spark = local.clone();
    TrainResult one = Trainer.of(iris, Optimizer.sgd(0.2)).batchSize(150).epochs(40)
        .fit(local, irisData.inputs(), irisData.targets(), 150);
    TrainResult dist = SparkTrainer.of(irisBundle, Optimizer.sgd(0.2)).fullBatch().epochs(40)
        .fit(spark, irisSpark, null);
    assertTrue(TestSpark.relativeError(local, spark) <= 1e-10,
        "parameters differ by " + TestSpark.relativeError(local, spark));
    assertEquals(40, dist.epochs());
    assertEquals(40, dist.steps());
    assertArrayEquals(one.epochLosses(), dist.epochLosses(), 1e-10);
    assertEquals(one.finalLoss(), dist.finalLoss(), 1e-10);
    assertEquals(150 * 40, dist.examplesSeen());
  }

  @Test
  void synchronousMiniBatchAdamIsReproducibleBitForBitAndLearnsIris() {
    SparkTrainer t = SparkTrainer.of(irisBundle, Optimizer.adam(0.05)).batchSize(75).epochs(40)
        .seed(3);
    double[] a = iris.initialParameters(1);
    double[] b = a.clone();
    TrainResult ra = t.fit(a, irisSpark, null);
    TrainResult rb = t.fit(b, irisSpark, null);
    assertArrayEquals(a, b, 0.0);
    assertArrayEquals(ra.epochLosses(), rb.epochLosses(), 0.0);
    assertEquals(2 * 40, ra.steps());
    assertTrue(ra.finalLoss() < ra.epochLosses()[0] / 3, ra.toString());
    assertTrue(t.accuracy(a, irisSpark).getAsDouble() >= 0.9, "accuracy");
  }

  @Test
  void lbfgsReachesNinetySevenPercentOnIris() {
    double[] theta = iris.initialParameters(1);
    SparkTrainer t = SparkTrainer.of(irisBundle, Optimizer.sgd(0.1))
        .method(SparkTrainer.Method.LBFGS).epochs(100);
    TrainResult r = t.fit(theta, irisSpark, null);
    assertEquals(TrainResult.Status.COMPLETED, r.status());
    double accuracy = t.accuracy(theta, irisSpark).getAsDouble();
    assertTrue(accuracy >= 0.97, "accuracy " + accuracy + " after " + r);
  }

  @Test
  void localStepsThenAverageReachesNinetyFivePercentOnIris() {
    double[] theta = iris.initialParameters(1);
    SparkTrainer t = SparkTrainer.of(irisBundle, Optimizer.adam(0.02)).batchSize(16)
        .method(SparkTrainer.Method.LOCAL_AVERAGE).localEpochs(10).epochs(30);
    TrainResult r = t.fit(theta, irisSpark, null);
    assertEquals(30, r.epochs());
    // 75 rows per partition in batches of 16: 5 steps per local epoch
    assertEquals(2L * 5 * 10 * 30, r.steps());
    double accuracy = t.accuracy(theta, irisSpark).getAsDouble();
    assertTrue(accuracy >= 0.95, "accuracy " + accuracy + " after " + r);
  }

  @Test
  void lbfgsLearnsXor() throws IOException, DataException {
    CompiledModel xor = TestSpark.compile("xor.grad");
    ModelBundle bundle = ModelBundle.of(xor);
    SparkData data = SparkData.fromRows(
        TestSpark.rows(TestSpark.read("xor.csv", xor), 2, 0), bundle, 8);
    double[] theta = xor.initialParameters(42);
    SparkTrainer t = SparkTrainer.of(bundle, Optimizer.sgd(0.5))
        .method(SparkTrainer.Method.LBFGS).epochs(300);
    TrainResult r = t.fit(theta, data, null);
    assertEquals(1.0, t.accuracy(theta, data).getAsDouble(), 0.0, r.toString());
    assertTrue(r.finalLoss() < 0.01, r.toString());
    data.unpersist();
  }

  @Test
  void theListenerHearsEveryStepAndCanStop() {
    int[] steps = new int[1];
    TrainListener listener = new TrainListener() {
      @Override
      public boolean onStep(int epoch, int step, int batchSize, double loss) {
        steps[0]++;
        return true;
      }

      @Override
      public boolean onEpoch(int epoch, double loss, double[] theta) {
        return epoch < 3;
      }
    };
    TrainResult r = SparkTrainer.of(irisBundle, Optimizer.sgd(0.1)).batchSize(75).epochs(10)
        .fit(iris.initialParameters(1), irisSpark, listener);
    assertEquals(TrainResult.Status.STOPPED, r.status());
    assertEquals(3, r.epochs());
    assertEquals(6, steps[0]);
  }

  @Test
  void aDivergingRunStopsWithTheLastFiniteParameters() {
    CompiledModel line = Gradc.compile("""
        model Line {
          input x[1]
          target y[1]
          param w[1, 1] = zeros
          yhat = x @ w
          output yhat
          loss mse(yhat, y)
        }
        """);
    List<double[]> rows = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      rows.add(new double[] {i, 2 * i});
    }
    ModelBundle bundle = ModelBundle.of(line);
    SparkData data = SparkData.fromRows(TestSpark.context().parallelize(rows, 2), bundle, 4);
    double[] theta = {0};
    TrainResult r = SparkTrainer.of(bundle, Optimizer.sgd(1e100)).fullBatch().epochs(10)
        .fit(theta, data, null);
    // w = 0, then about 1e102, then 1e206, whose loss overflows: the third step diverges
    assertEquals(TrainResult.Status.DIVERGED, r.status());
    assertEquals(3, r.stopEpoch());
    assertEquals(2, r.steps());
    assertTrue(Double.isFinite(theta[0]) && theta[0] > 1e100, r.toString());
    data.unpersist();
  }
}
