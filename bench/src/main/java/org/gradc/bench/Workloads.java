package org.gradc.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference workloads W1–W3 with the same initial parameters and data as the PyTorch and
 * numpy comparators (shared/bench/python/common.py): parameters in (in, out) row-major order.
 */
final class Workloads {
  static final int W3_DEPTH = 16;
  static final int W3_WIDTH = 64;
  static final int W3_BATCH = 64;

  /** Parameters (as row matrices and bias vectors), data and the step's learning rate. */
  record Workload(List<double[][]> weights, List<double[]> biases, double[][] x, double[][] y, double lr) {
    /** The parameters as one flat vector in declaration order: W0, b0, W1, b1, … */
    double[] flatParameters() {
      List<Double> out = new ArrayList<>();
      for (int l = 0; l < weights.size(); l++) {
        for (double[] row : weights.get(l)) {
          for (double v : row) {
            out.add(v);
          }
        }
        for (double v : biases.get(l)) {
          out.add(v);
        }
      }
      return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double[] flat(double[][] rows) {
      int n = rows[0].length;
      double[] out = new double[rows.length * n];
      for (int r = 0; r < rows.length; r++) {
        System.arraycopy(rows[r], 0, out, r * n, n);
      }
      return out;
    }

    double[] flatX() {
      return flat(x);
    }

    double[] flatY() {
      return flat(y);
    }

    HandMlp hand(int[] widths, HandMlp.Act[] acts, HandMlp.Loss loss) {
      double[][][] w = new double[weights.size()][][];
      double[][] b = new double[biases.size()][];
      for (int l = 0; l < w.length; l++) {
        w[l] = copy(weights.get(l));
        b[l] = biases.get(l).clone();
      }
      return new HandMlp(widths, acts, loss, x.length, w, b);
    }
  }

  private Workloads() {}

  static Workload w1() {
    double[][] x = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    double[][] y = {{0}, {1}, {1}, {0}};
    return new Workload(
        List.of(Rng.matrix(101, 2, 4, -1, 1), Rng.matrix(103, 4, 1, -1, 1)),
        List.of(Rng.uniform(102, 4, -1, 1), Rng.uniform(104, 1, -1, 1)), x, y, 0.5);
  }

  static Workload w2(int batch) {
    double a1 = 1 / Math.sqrt(784);
    double a2 = 1 / Math.sqrt(128);
    double[][] x = Rng.matrix(205, batch, 784, 0, 1);
    double[] labels = Rng.uniform(206, batch, 0, 10);
    double[][] y = new double[batch][10];
    for (int i = 0; i < batch; i++) {
      y[i][(int) Math.floor(labels[i])] = 1;
    }
    return new Workload(
        List.of(Rng.matrix(201, 784, 128, -a1, a1), Rng.matrix(203, 128, 10, -a2, a2)),
        List.of(Rng.uniform(202, 128, -a1, a1), Rng.uniform(204, 10, -a2, a2)), x, y, 0.01);
  }

  static Workload w3() {
    List<double[][]> w = new ArrayList<>();
    List<double[]> b = new ArrayList<>();
    double a = Math.sqrt(6.0 / (W3_WIDTH + W3_WIDTH));
    double ab = 1 / Math.sqrt(W3_WIDTH);
    for (int l = 0; l < W3_DEPTH; l++) {
      w.add(Rng.matrix(300 + 2L * l, W3_WIDTH, W3_WIDTH, -a, a));
      b.add(Rng.uniform(301 + 2L * l, W3_WIDTH, -ab, ab));
    }
    double ao = Math.sqrt(6.0 / (W3_WIDTH + 1));
    w.add(Rng.matrix(340, W3_WIDTH, 1, -ao, ao));
    b.add(Rng.uniform(341, 1, -ab, ab));
    return new Workload(w, b, Rng.matrix(350, W3_BATCH, W3_WIDTH, -1, 1),
        Rng.matrix(351, W3_BATCH, 1, -1, 1), 0.01);
  }

  static int[] w3Widths() {
    int[] widths = new int[W3_DEPTH + 2];
    java.util.Arrays.fill(widths, W3_WIDTH);
    widths[W3_DEPTH + 1] = 1;
    return widths;
  }

  static HandMlp.Act[] w3Acts() {
    HandMlp.Act[] acts = new HandMlp.Act[W3_DEPTH + 1];
    java.util.Arrays.fill(acts, HandMlp.Act.TANH);
    acts[W3_DEPTH] = HandMlp.Act.LINEAR;
    return acts;
  }

  private static double[][] copy(double[][] m) {
    double[][] out = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = m[i].clone();
    }
    return out;
  }
}
