package org.gradc.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.TrainSpec;
import org.gradc.train.Metrics;
import org.gradc.train.Optimizer;
import org.gradc.train.TrainResult;
import org.gradc.train.Trainer;

/**
 * The Spark jobs of training: each broadcasts θ, runs one task per partition on the executors'
 * compiled model, and returns one vector per partition, which the driver sums in partition order
 * (so a run is reproducible bit for bit). Everything a task needs travels as plain data; the
 * task functions are static, so no closure drags a driver object along.
 */
final class Jobs {
  private Jobs() {}

  /**
   * Which examples of each partition one step reads: with {@code steps} steps per epoch, step
   * {@code step} (from 0) takes the step-th of {@code steps} nearly equal runs of the partition's
   * rows, in an order shuffled per epoch and partition when {@code shuffle} is on. One step of
   * one run is the whole partition.
   */
  record Slice(int steps, int step, int epoch, long seed, boolean shuffle) implements Serializable {
    static final Slice ALL = new Slice(1, 0, 0, 0, false);
  }

  /**
   * Per-partition sums over the slice: {@code Σ rows·gradient} (parameterCount values), then
   * {@code Σ rows·loss} and the number of rows, summed over the partitions in order.
   */
  static double[] gradientSums(JavaRDD<Block> blocks, ModelBundle bundle, double[] theta,
      Slice slice) {
    Broadcast<double[]> b = broadcast(blocks, theta);
    try {
      return sumInOrder(blocks.mapPartitionsWithIndex(
          (p, it) -> List.of(sums(p, it, bundle, b.value(), slice)).iterator(), true).collect());
    } finally {
      b.destroy();
    }
  }

  private static double[] sums(int p, Iterator<Block> it, ModelBundle bundle, double[] theta,
      Slice slice) {
    CompiledModel m = bundle.model();
    int n = m.parameterCount();
    double[] acc = new double[n + 2];
    double[] g = new double[n];
    List<Block> blocks = new ArrayList<>();
    it.forEachRemaining(blocks::add);
    List<Block> run = slice.steps() == 1 && !slice.shuffle() ? blocks
        : gather(blocks, p, slice, m.inputWidth(), m.targetWidth());
    for (Block b : run) {
      double loss = m.lossAndGradient(theta, b.inputs, b.targets, b.rows, g);
      for (int i = 0; i < n; i++) {
        acc[i] += g[i] * b.rows;
      }
      acc[n] += loss * b.rows;
      acc[n + 1] += b.rows;
    }
    return acc;
  }

  /** The slice's rows of one partition as one block (none when the slice is empty here). */
  private static List<Block> gather(List<Block> blocks, int p, Slice slice, int inW, int tgW) {
    int[] start = new int[blocks.size() + 1];
    for (int i = 0; i < blocks.size(); i++) {
      start[i + 1] = start[i] + blocks.get(i).rows;
    }
    int rows = start[blocks.size()];
    int lo = (int) ((long) rows * slice.step() / slice.steps());
    int hi = (int) ((long) rows * (slice.step() + 1) / slice.steps());
    if (hi == lo) {
      return List.of();
    }
    int[] order = order(rows, slice, p);
    double[] x = new double[(hi - lo) * inW];
    double[] y = new double[(hi - lo) * tgW];
    for (int k = lo; k < hi; k++) {
      int r = order[k];
      int bi = Arrays.binarySearch(start, r);
      bi = bi >= 0 ? bi : -bi - 2;
      while (start[bi + 1] == r) {
        bi++; // skips empty blocks
      }
      Block b = blocks.get(bi);
      int at = r - start[bi];
      System.arraycopy(b.inputs, at * inW, x, (k - lo) * inW, inW);
      System.arraycopy(b.targets, at * tgW, y, (k - lo) * tgW, tgW);
    }
    return List.of(new Block(hi - lo, x, y));
  }

  /** The partition's rows in data order, or shuffled by a generator of (seed, epoch, partition). */
  private static int[] order(int rows, Slice slice, int p) {
    int[] order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    if (slice.shuffle()) {
      SplittableRandom rnd = new SplittableRandom(mix(slice.seed(), slice.epoch(), p));
      for (int i = rows - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }

  /** A seed of its own for each epoch and partition. */
  static long mix(long seed, int epoch, int partition) {
    return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1))
        ^ (0xC2B2AE3D27D4EB4FL * (partition + 1))).nextLong();
  }

  /** An optimizer as plain data, so that a local-training task can rebuild it. */
  record OptimizerData(String kind, Map<String, Double> options) implements Serializable {
    static OptimizerData of(Optimizer o) {
      if (o instanceof Optimizer.Momentum m) {
        return new OptimizerData("momentum", Map.of("lr", m.lr(), "beta", m.beta()));
      } else if (o instanceof Optimizer.Adam a) {
        return new OptimizerData("adam", Map.of("lr", a.lr(), "beta1", a.beta1(), "beta2",
            a.beta2(), "eps", a.eps()));
      }
      return new OptimizerData("sgd", Map.of("lr", o.learningRate()));
    }

    Optimizer optimizer() {
      return Optimizer.of(new TrainSpec.OptimizerSpec(kind, options));
    }
  }

  /** What each partition's local training does in one round of local steps then averaging. */
  record Local(OptimizerData optimizer, int batchSize, int epochs, long seed, int round,
      double clip, double weightDecay, boolean shuffle) implements Serializable {}

  /**
   * One round of local training: every partition trains a copy of θ on its own rows with
   * gradc's {@link Trainer}; returns, summed in partition order, {@code Σ rows·θ_p}, then
   * {@code Σ rows·(last epoch loss)}, the rows, the optimizer steps, the examples seen and the
   * number of partitions that diverged.
   */
  static double[] localSums(JavaRDD<Block> blocks, ModelBundle bundle, double[] theta,
      Local local) {
    Broadcast<double[]> b = broadcast(blocks, theta);
    try {
      return sumInOrder(blocks.mapPartitionsWithIndex(
          (p, it) -> List.of(local(p, it, bundle, b.value(), local)).iterator(), true).collect());
    } finally {
      b.destroy();
    }
  }

  private static double[] local(int p, Iterator<Block> it, ModelBundle bundle, double[] theta0,
      Local local) {
    CompiledModel m = bundle.model();
    int n = m.parameterCount();
    double[] acc = new double[n + 5];
    Block all = concat(it, m.inputWidth(), m.targetWidth());
    if (all == null) {
      return acc;
    }
    double[] theta = theta0.clone();
    TrainResult r = Trainer.of(m, local.optimizer().optimizer()).batchSize(local.batchSize())
        .epochs(local.epochs()).seed(mix(local.seed(), local.round(), p)).clip(local.clip())
        .weightDecay(local.weightDecay()).shuffle(local.shuffle())
        .fit(theta, all.inputs, all.targets, all.rows);
    for (int i = 0; i < n; i++) {
      acc[i] = theta[i] * all.rows;
    }
    acc[n] = r.lastEpochLoss() * all.rows;
    acc[n + 1] = all.rows;
    acc[n + 2] = r.steps();
    acc[n + 3] = r.examplesSeen();
    acc[n + 4] = r.status() == TrainResult.Status.DIVERGED ? 1 : 0;
    return acc;
  }

  /** A partition's blocks as one (the block itself when there is one), or null when empty. */
  private static Block concat(Iterator<Block> it, int inW, int tgW) {
    List<Block> blocks = new ArrayList<>();
    it.forEachRemaining(blocks::add);
    if (blocks.size() <= 1) {
      return blocks.isEmpty() ? null : blocks.get(0);
    }
    int rows = blocks.stream().mapToInt(Block::rows).sum();
    double[] x = new double[rows * inW];
    double[] y = new double[rows * tgW];
    int at = 0;
    for (Block b : blocks) {
      System.arraycopy(b.inputs, 0, x, at * inW, b.rows * inW);
      System.arraycopy(b.targets, 0, y, at * tgW, b.rows * tgW);
      at += b.rows;
    }
    return new Block(rows, x, y);
  }

  /**
   * Correct classifications and examples, summed in partition order; the correct count is
   * negative when some block is not classification data (see {@link Metrics#accuracy}).
   */
  static double[] accuracySums(JavaRDD<Block> blocks, ModelBundle bundle, double[] theta) {
    Broadcast<double[]> b = broadcast(blocks, theta);
    try {
      return sumInOrder(blocks.mapPartitions(it -> {
        CompiledModel m = bundle.model();
        double[] acc = new double[2];
        while (it.hasNext()) {
          Block k = it.next();
          var a = Metrics.accuracy(m, m.predict(b.value(), k.inputs, k.targets, k.rows),
              k.targets, k.rows);
          acc[0] += a.isPresent() ? Math.round(a.getAsDouble() * k.rows) : Double.NEGATIVE_INFINITY;
          acc[1] += k.rows;
        }
        return List.of(acc).iterator();
      }, true).collect());
    } finally {
      b.destroy();
    }
  }

  private static Broadcast<double[]> broadcast(JavaRDD<Block> blocks, double[] theta) {
    return JavaSparkContext.fromSparkContext(blocks.context()).broadcast(theta.clone());
  }

  /** The element-wise sum of the partitions' vectors, in partition order. */
  private static double[] sumInOrder(List<double[]> parts) {
    double[] sum = new double[parts.get(0).length];
    for (double[] part : parts) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += part[i];
      }
    }
    return sum;
  }
}
