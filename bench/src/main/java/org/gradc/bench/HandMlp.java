package org.gradc.bench;

/**
 * The "ceiling": a hand-written, specialized training step for a stack of dense layers — what a
 * careful person writes in plain Java. Row arrays (so C2 vectorizes the inner loops), i-k-j
 * products, a transposed weight copy for the backward-data product, preallocated buffers.
 */
final class HandMlp {
  enum Act { SIGMOID, TANH, RELU, LINEAR }

  enum Loss { MSE, SOFTMAX_CROSS_ENTROPY }

  private final int[] widths;
  private final Act[] acts;
  private final Loss loss;
  private final int batch;
  final double[][][] w;
  final double[][] b;
  private final double[][][] wt;
  private final double[][][] dw;
  private final double[][] db;
  private final double[][][] a;   // a[0] = input, a[l + 1] = activation of layer l
  private final double[][][] d;   // d[l] = dL/dz of layer l

  HandMlp(int[] widths, Act[] acts, Loss loss, int batch, double[][][] w, double[][] b) {
    this.widths = widths.clone();
    this.acts = acts.clone();
    this.loss = loss;
    this.batch = batch;
    this.w = w;
    this.b = b;
    int layers = acts.length;
    wt = new double[layers][][];
    dw = new double[layers][][];
    db = new double[layers][];
    a = new double[layers + 1][][];
    d = new double[layers][][];
    a[0] = new double[batch][widths[0]];
    for (int l = 0; l < layers; l++) {
      wt[l] = new double[widths[l + 1]][widths[l]];
      dw[l] = new double[widths[l]][widths[l + 1]];
      db[l] = new double[widths[l + 1]];
      a[l + 1] = new double[batch][widths[l + 1]];
      d[l] = new double[batch][widths[l + 1]];
      transpose(l);
    }
  }

  private void transpose(int l) {
    for (int k = 0; k < widths[l]; k++) {
      for (int j = 0; j < widths[l + 1]; j++) {
        wt[l][j][k] = w[l][k][j];
      }
    }
  }

  /** One SGD step on a batch; returns the batch-mean loss before the update. */
  double step(double[][] x, double[][] y, double lr) {
    int layers = acts.length;
    for (int i = 0; i < batch; i++) {
      System.arraycopy(x[i], 0, a[0][i], 0, widths[0]);
    }
    for (int l = 0; l < layers; l++) {
      forward(l);
    }
    double total = outputDelta(y);
    for (int l = layers - 1; l >= 0; l--) {
      backward(l);
    }
    for (int l = 0; l < layers; l++) {
      for (int k = 0; k < widths[l]; k++) {
        double[] wk = w[l][k];
        double[] dwk = dw[l][k];
        for (int j = 0; j < wk.length; j++) {
          wk[j] -= lr * dwk[j];
        }
      }
      double[] bl = b[l];
      for (int j = 0; j < bl.length; j++) {
        bl[j] -= lr * db[l][j];
      }
      transpose(l);
    }
    return total / batch;
  }

  private void forward(int l) {
    int n = widths[l];
    int m = widths[l + 1];
    double[][] w = this.w[l];
    for (int i = 0; i < batch; i++) {
      double[] in = a[l][i];
      double[] z = a[l + 1][i];
      System.arraycopy(b[l], 0, z, 0, m);
      for (int k = 0; k < n; k++) {
        double ak = in[k];
        double[] wk = w[k];
        for (int j = 0; j < m; j++) {
          z[j] += ak * wk[j];
        }
      }
      switch (acts[l]) {
        case SIGMOID -> {
          for (int j = 0; j < m; j++) {
            z[j] = 1.0 / (1.0 + Math.exp(-z[j]));
          }
        }
        case TANH -> {
          for (int j = 0; j < m; j++) {
            z[j] = Math.tanh(z[j]);
          }
        }
        case RELU -> {
          for (int j = 0; j < m; j++) {
            z[j] = Math.max(z[j], 0.0);
          }
        }
        case LINEAR -> { }
      }
    }
  }

  /** Writes dL/dz of the last layer (already divided by the batch size); returns the summed loss. */
  private double outputDelta(double[][] y) {
    int last = acts.length - 1;
    int m = widths[last + 1];
    double total = 0;
    for (int i = 0; i < batch; i++) {
      double[] out = a[last + 1][i];
      double[] dz = d[last][i];
      if (loss == Loss.MSE) {
        for (int j = 0; j < m; j++) {
          double e = out[j] - y[i][j];
          total += e * e / m;
          dz[j] = 2.0 * e / m / batch;
        }
      } else {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < m; j++) {
          max = Math.max(max, out[j]);
        }
        double sum = 0;
        for (int j = 0; j < m; j++) {
          dz[j] = Math.exp(out[j] - max);
          sum += dz[j];
        }
        double lse = max + Math.log(sum);
        for (int j = 0; j < m; j++) {
          total -= y[i][j] * (out[j] - lse);
          dz[j] = (dz[j] / sum - y[i][j]) / batch;
        }
      }
      if (acts[last] != Act.LINEAR) {
        activationDerivative(last, i);
      }
    }
    return total;
  }

  private void activationDerivative(int l, int i) {
    double[] out = a[l + 1][i];
    double[] dz = d[l][i];
    for (int j = 0; j < dz.length; j++) {
      dz[j] *= switch (acts[l]) {
        case SIGMOID -> out[j] * (1 - out[j]);
        case TANH -> 1 - out[j] * out[j];
        case RELU -> out[j] > 0 ? 1 : 0;
        case LINEAR -> 1;
      };
    }
  }

  private void backward(int l) {
    int n = widths[l];
    int m = widths[l + 1];
    double[][] dwl = dw[l];
    double[] dbl = db[l];
    for (double[] row : dwl) {
      java.util.Arrays.fill(row, 0);
    }
    java.util.Arrays.fill(dbl, 0);
    for (int i = 0; i < batch; i++) {
      double[] dz = d[l][i];
      double[] in = a[l][i];
      for (int k = 0; k < n; k++) {
        double ak = in[k];
        double[] dwk = dwl[k];
        for (int j = 0; j < m; j++) {
          dwk[j] += ak * dz[j];
        }
      }
      for (int j = 0; j < m; j++) {
        dbl[j] += dz[j];
      }
      if (l > 0) {
        double[] da = d[l - 1][i];
        java.util.Arrays.fill(da, 0);
        for (int j = 0; j < m; j++) {
          double dj = dz[j];
          double[] wtj = wt[l][j];
          for (int k = 0; k < n; k++) {
            da[k] += dj * wtj[k];
          }
        }
        activationDerivative(l - 1, i);
      }
    }
  }
}
