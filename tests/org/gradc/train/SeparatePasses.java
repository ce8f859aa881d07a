package org.gradc.train;

import java.util.Arrays;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.Precision;

/**
 * The reference for the fused step: a training step as separate passes over the parameters —
 * gradient, sum of squares, clipping, weight decay, copy of θ, the optimizer's update, rounding
 * of θ and of each buffer — written out as {@link Trainer#fit} did them before the fusion.
 */
final class SeparatePasses {
  private final CompiledModel model;
  private final Optimizer optimizer;
  private final Schedule schedule;
  private final long totalSteps;
  private final double clip;
  private final double weightDecay;
  private final double clipPerExample;
  private final boolean float32;
  private final double[] grad;
  private final double[][] buffers;
  private double[] lastGood;
  private double[] rows = new double[0];
  long steps;
  boolean diverged;

  SeparatePasses(Trainer t, long totalSteps) {
    model = t.model();
    optimizer = t.optimizer();
    schedule = t.schedule();
    this.totalSteps = totalSteps;
    clip = t.clip();
    weightDecay = t.weightDecay();
    clipPerExample = t.clipPerExample();
    float32 = model.precision() == Precision.F32;
    int n = model.parameterCount();
    grad = new double[n];
    buffers = new double[optimizer instanceof Optimizer.Adam ? 2
        : optimizer instanceof Optimizer.Momentum ? 1 : 0][n];
  }

  void start(double[] theta) {
    round(theta);
    lastGood = theta.clone();
  }

  double step(double[] theta, double[] x, double[] y, int size) {
    if (lastGood == null) {
      start(theta);
    }
    int n = theta.length;
    double loss = model.lossAndGradient(theta, x, y, size, grad);
    if (clipPerExample > 0) {
      rows = rows.length < size * n ? new double[size * n] : rows;
      model.perExampleGradients(theta, x, y, size, rows);
      Clipping.clippedMean(rows, size, clipPerExample, grad);
    }
    double squaredNorm = 0;
    for (double v : grad) {
      squaredNorm += v * v;
    }
    diverged = !Double.isFinite(loss) || !Double.isFinite(squaredNorm);
    if (diverged) {
      System.arraycopy(lastGood, 0, theta, 0, n);
      return loss;
    }
    double norm = clip > 0 ? Math.sqrt(squaredNorm) : 0;
    if (clip > 0 && norm > clip) {
      double scale = clip / (norm + 1e-6);
      for (int i = 0; i < n; i++) {
        grad[i] *= scale;
      }
    }
    if (weightDecay > 0) {
      for (int i = 0; i < n; i++) {
        grad[i] += weightDecay * theta[i];
      }
    }
    System.arraycopy(theta, 0, lastGood, 0, n);
    steps++;
    update(theta, optimizer.learningRate() * schedule.factor(steps - 1, totalSteps));
    round(theta);
    for (double[] b : buffers) {
      round(b);
    }
    return loss;
  }

  private void update(double[] theta, double rate) {
    if (optimizer instanceof Optimizer.Sgd) {
      for (int i = 0; i < theta.length; i++) {
        theta[i] -= rate * grad[i];
      }
    } else if (optimizer instanceof Optimizer.Momentum o) {
      double[] v = buffers[0];
      for (int i = 0; i < theta.length; i++) {
        v[i] = o.beta() * v[i] + grad[i];
        theta[i] -= rate * v[i];
      }
    } else {
      Optimizer.Adam o = (Optimizer.Adam) optimizer;
      double[] m = buffers[0];
      double[] v = buffers[1];
      double sqrtBc2 = Math.sqrt(1 - Math.pow(o.beta2(), steps));
      double stepSize = rate / (1 - Math.pow(o.beta1(), steps));
      for (int i = 0; i < theta.length; i++) {
        double g = grad[i];
        m[i] = o.beta1() * m[i] + (1 - o.beta1()) * g;
        v[i] = o.beta2() * v[i] + (1 - o.beta2()) * g * g;
        double denom = Math.sqrt(v[i]) / sqrtBc2 + o.eps();
        theta[i] -= stepSize * m[i] / denom;
      }
    }
  }

  private void round(double[] values) {
    for (int i = 0; float32 && i < values.length; i++) {
      values[i] = (float) values[i];
    }
  }

  double[][] buffers() {
    double[][] copy = new double[buffers.length][];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = Arrays.copyOf(buffers[i], buffers[i].length);
    }
    return copy;
  }
}
