package org.gradc.spark;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.gradc.runtime.CompiledModel;
import org.gradc.train.Optimizer;

/**
 * The cost model's measurements (not a test): Spark's start-up, the time of one synchronous step
 * of the 784-128-10 MLP of {@code examples/mlp.grad} on {@code local[2]} against the same step in
 * one JVM, full batch over 20,000 rows and a mini-batch of 256, and how far the distributed
 * gradient is from the single-JVM one. Medians of repeated runs after a warm-up.
 *
 * <p>{@code mvn -q test-compile exec:exec -Pstep-cost}
 */
public final class StepCost {
  private StepCost() {}

  /**
   * Measures and prints.
   *
   * @param args the number of rows (default 20000) and of repeats (default 9)
   * @throws IOException when the model file cannot be read
   */
  public static void main(String[] args) throws IOException {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    long t0 = System.nanoTime();
    TestSpark.session();
    double startup = (System.nanoTime() - t0) / 1e9;
    CompiledModel m = TestSpark.compile("mlp.grad");
    ModelBundle bundle = ModelBundle.of(m);
    double[] x = new double[rows * 784];
    double[] y = new double[rows * 10];
    for (int e = 0; e < rows; e++) {
      double[] row = row(e);
      System.arraycopy(row, 0, x, e * 784, 784);
      System.arraycopy(row, 784, y, e * 10, 10);
    }
    // rows made on the executors: a parallelized list would travel with every task of every job
    JavaRDD<double[]> rdd = TestSpark.session().range(0, rows, 1, 2).javaRDD()
        .map(e -> row(e));
    long t1 = System.nanoTime();
    SparkData data = SparkData.fromRows(rdd, bundle, SparkData.DEFAULT_BLOCK_ROWS);
    double pack = (System.nanoTime() - t1) / 1e9;
    double[] theta = m.initialParameters(42);
    double[] single = new double[theta.length];
    double[] dist = new double[theta.length];
    SparkTrainer t = SparkTrainer.of(bundle, Optimizer.sgd(0.1));

    double oneFull = median(repeats, () -> m.lossAndGradient(theta, x, y, rows, single));
    double sparkFull = median(repeats, () -> t.lossAndGradient(theta, data, dist));
    double error = TestSpark.relativeError(single, dist);
    double[] bx = Arrays.copyOf(x, 256 * 784);
    double[] by = Arrays.copyOf(y, 256 * 10);
    double oneMini = median(repeats, () -> m.lossAndGradient(theta, bx, by, 256, single));
    int steps = (rows + 255) / 256;
    double sparkMini = median(repeats, () -> Jobs.gradientSums(data.blocks(), bundle, theta,
        new Jobs.Slice(steps, 0, 1, 7, true)));
    double emptyJob = median(repeats, () -> data.blocks().count());
    double broadcastJob = median(repeats, () -> {
      var b = TestSpark.context().broadcast(theta.clone());
      data.blocks().map(k -> b.value().length).collect();
      b.destroy();
    });
    System.out.printf(Locale.ROOT, "a job of one task per partition: %.1f ms; with θ broadcast"
        + " to it: %.1f ms%n", emptyJob * 1e3, broadcastJob * 1e3);
    System.out.printf(Locale.ROOT, "Spark start-up (local[2], first session): %.2f s%n", startup);
    System.out.printf(Locale.ROOT, "packing %d rows into blocks (one job): %.2f s%n", rows, pack);
    System.out.printf(Locale.ROOT, "%d parameters; distributed vs single-JVM gradient: %.2e"
        + " relative%n", theta.length, error);
    System.out.printf(Locale.ROOT, "full batch of %d: single JVM %.1f ms, local[2] %.1f ms%n",
        rows, oneFull * 1e3, sparkFull * 1e3);
    System.out.printf(Locale.ROOT, "mini-batch of 256: single JVM %.1f ms, local[2] %.1f ms%n",
        oneMini * 1e3, sparkMini * 1e3);
    data.unpersist();
    TestSpark.session().stop();
  }

  /** Example {@code e}: 784 uniform inputs and a one-hot target of 10, the same on every JVM. */
  static double[] row(long e) {
    Random r = new Random(e);
    double[] row = new double[794];
    for (int i = 0; i < 784; i++) {
      row[i] = r.nextDouble();
    }
    row[784 + r.nextInt(10)] = 1;
    return row;
  }

  private static double median(int repeats, Runnable step) {
    step.run(); // warm-up: compilation, JIT, scratch space
    step.run();
    double[] s = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      long t = System.nanoTime();
      step.run();
      s[i] = (System.nanoTime() - t) / 1e9;
    }
    Arrays.sort(s);
    return s[repeats / 2];
  }
}
