package org.gradc.spark;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import org.gradc.train.Optimizer;
import org.gradc.train.TrainListener;
import org.gradc.train.TrainResult;

/**
 * The driver's loops of the three {@link SparkTrainer.Method}s. Each keeps θ, the optimizer or
 * L-BFGS history and the epoch losses on the driver, and runs one Spark job per step.
 */
final class Runs {
  private Runs() {}

  /** Epoch losses, grown with the epochs run, so a huge epoch count costs nothing up front. */
  private static final class Losses {
    double[] values;
    int done;

    Losses(int epochs) {
      values = new double[Math.min(epochs, 1024)];
    }

    void add(double loss) {
      if (done == values.length) {
        values = Arrays.copyOf(values, Math.max(1, 2 * values.length));
      }
      values[done++] = loss;
    }
  }

  /** Mini-batch (or full-batch) steps: one job per step, the update on the driver. */
  static TrainResult synchronous(SparkTrainer t, SparkData data, TrainListener hear,
      double[] theta) {
    SparkTrainer.Config c = t.config();
    int n = theta.length;
    long examples = data.examples();
    int steps = (int) Math.min(Integer.MAX_VALUE, (examples + c.batchSize() - 1) / c.batchSize());
    Optimizer.State state = c.optimizer().newState(n);
    double[] grad = new double[n];
    double[] lastGood = theta.clone();
    Losses losses = new Losses(c.epochs());
    long start = System.nanoTime();
    long applied = 0;
    long seen = 0;
    TrainResult.Status status = TrainResult.Status.COMPLETED;
    int badEpoch = 0;
    int badStep = 0;
    training:
    for (int epoch = 1; epoch <= c.epochs(); epoch++) {
      double sum = 0;
      int step = 0;
      for (int s = 0; s < steps; s++) {
        Jobs.Slice slice = steps == 1 ? Jobs.Slice.ALL
            : new Jobs.Slice(steps, s, epoch, c.seed(), c.shuffle());
        double[] sums = Jobs.gradientSums(data.blocks(), t.bundle(), theta, slice);
        int rows = (int) sums[n + 1];
        if (rows == 0) {
          continue; // partitions smaller than the number of steps leave some steps empty
        }
        step++;
        double loss = SparkTrainer.mean(sums, n, grad);
        double sq = 0;
        for (int i = 0; i < n; i++) {
          sq += grad[i] * grad[i];
        }
        if (!Double.isFinite(loss) || !Double.isFinite(sq)) {
          System.arraycopy(lastGood, 0, theta, 0, n);
          status = TrainResult.Status.DIVERGED;
          badEpoch = epoch;
          badStep = step;
          hear.onStep(epoch, step, rows, loss);
          break training;
        }
        if (c.clip() > 0 && Math.sqrt(sq) > c.clip()) {
          double scale = c.clip() / (Math.sqrt(sq) + 1e-6);
          for (int i = 0; i < n; i++) {
            grad[i] *= scale;
          }
        }
        for (int i = 0; c.weightDecay() > 0 && i < n; i++) {
          grad[i] += c.weightDecay() * theta[i];
        }
        System.arraycopy(theta, 0, lastGood, 0, n);
        state.step(theta, grad);
        applied++;
        seen += rows;
        sum += loss * rows;
        if (!hear.onStep(epoch, step, rows, loss)) {
          status = TrainResult.Status.STOPPED;
          break training;
        }
      }
      losses.add(sum / examples);
      if (!hear.onEpoch(epoch, sum / examples, theta)) {
        status = epoch == c.epochs() ? TrainResult.Status.COMPLETED : TrainResult.Status.STOPPED;
        break;
      }
    }
    return result(t, data, theta, status, losses, applied, badEpoch, badStep, start, seen);
  }

  /** The loss and gradient of the L-BFGS objective at θ: the mean loss plus λ/2·‖θ‖². */
  private record Eval(double loss, double objective, double[] grad) {
    static Eval at(SparkTrainer t, SparkData data, double[] theta) {
      double[] g = new double[theta.length];
      double loss = t.lossAndGradient(theta, data, g);
      double lambda = t.config().weightDecay();
      double reg = 0;
      for (int i = 0; i < theta.length; i++) {
        reg += theta[i] * theta[i];
        g[i] += lambda * theta[i];
      }
      return new Eval(loss, loss + lambda / 2 * reg, g);
    }

    boolean finite() {
      return Double.isFinite(objective) && Double.isFinite(dot(grad, grad));
    }
  }

  /**
   * Full-batch L-BFGS (two-loop recursion, backtracking Armijo line search from step 1). Ends
   * early, completed, when the gradient vanishes or no step along the search direction lowers
   * the objective.
   */
  static TrainResult lbfgs(SparkTrainer t, SparkData data, TrainListener hear, double[] theta) {
    SparkTrainer.Config c = t.config();
    int n = theta.length;
    Deque<double[][]> history = new ArrayDeque<>(); // {s, y, {1 / y·s}}, newest first
    Losses losses = new Losses(c.epochs());
    long start = System.nanoTime();
    long seen = 0;
    TrainResult.Status status = TrainResult.Status.COMPLETED;
    Eval e = Eval.at(t, data, theta);
    int it = 0;
    while (it < c.epochs()) {
      if (!e.finite()) {
        hear.onStep(it + 1, 1, (int) Math.min(Integer.MAX_VALUE, data.examples()), e.loss);
        return result(t, data, theta, TrainResult.Status.DIVERGED, losses, it, it + 1, 1, start,
            seen);
      }
      double[] d = direction(e.grad, history);
      double slope = dot(e.grad, d);
      if (!(slope < 0)) {
        break; // a zero gradient: a stationary point
      }
      double[] next = new double[n];
      Eval ne = null;
      for (double step = 1; step > 1e-10; step /= 2) {
        for (int i = 0; i < n; i++) {
          next[i] = theta[i] + step * d[i];
        }
        Eval trial = Eval.at(t, data, next);
        if (trial.finite() && trial.objective <= e.objective + 1e-4 * step * slope) {
          ne = trial;
          break;
        }
      }
      if (ne == null) {
        break; // no step lowers the objective: converged as far as doubles tell
      }
      double[] s = new double[n];
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        s[i] = next[i] - theta[i];
        y[i] = ne.grad[i] - e.grad[i];
      }
      double ys = dot(y, s);
      if (ys > 1e-12) {
        history.addFirst(new double[][] {s, y, {1 / ys}});
        if (history.size() > c.memory()) {
          history.removeLast();
        }
      }
      double before = e.loss;
      System.arraycopy(next, 0, theta, 0, n);
      e = ne;
      it++;
      seen += data.examples();
      losses.add(before);
      if (!hear.onStep(it, 1, (int) Math.min(Integer.MAX_VALUE, data.examples()), before)
          || !hear.onEpoch(it, before, theta)) {
        status = it == c.epochs() ? TrainResult.Status.COMPLETED : TrainResult.Status.STOPPED;
        break;
      }
    }
    return result(t, data, theta, status, losses, it, 0, 0, start, seen);
  }

  /** {@code −H·g} by the two-loop recursion; the first direction is {@code −g/‖g‖}. */
  private static double[] direction(double[] g, Deque<double[][]> history) {
    double[] q = g.clone();
    if (history.isEmpty()) {
      double norm = Math.sqrt(dot(g, g));
      for (int i = 0; i < q.length; i++) {
        q[i] = norm > 0 ? -q[i] / norm : 0;
      }
      return q;
    }
    double[] alpha = new double[history.size()];
    int k = 0;
    for (double[][] h : history) {
      alpha[k] = h[2][0] * dot(h[0], q);
      axpy(-alpha[k++], h[1], q);
    }
    double[][] newest = history.peekFirst();
    double gamma = dot(newest[0], newest[1]) / dot(newest[1], newest[1]);
    for (int i = 0; i < q.length; i++) {
      q[i] *= gamma;
    }
    var oldestFirst = history.descendingIterator();
    for (k = history.size() - 1; k >= 0; k--) {
      double[][] h = oldestFirst.next();
      double beta = h[2][0] * dot(h[1], q);
      axpy(alpha[k] - beta, h[0], q);
    }
    for (int i = 0; i < q.length; i++) {
      q[i] = -q[i];
    }
    return q;
  }

  /**
   * Rounds of local training, then the average of the partitions' parameters weighted by their
   * rows. A partition that diverges stops the run with θ as before the round.
   */
  static TrainResult localAverage(SparkTrainer t, SparkData data, TrainListener hear,
      double[] theta) {
    SparkTrainer.Config c = t.config();
    int n = theta.length;
    int rows = (int) Math.min(Integer.MAX_VALUE, data.examples());
    Jobs.OptimizerData optimizer = Jobs.OptimizerData.of(c.optimizer());
    Losses losses = new Losses(c.epochs());
    long start = System.nanoTime();
    long steps = 0;
    long seen = 0;
    TrainResult.Status status = TrainResult.Status.COMPLETED;
    for (int round = 1; round <= c.epochs(); round++) {
      double[] s = Jobs.localSums(data.blocks(), t.bundle(), theta, new Jobs.Local(optimizer,
          c.batchSize(), c.localEpochs(), c.seed(), round, c.clip(), c.weightDecay(), c.shuffle()));
      double loss = s[n] / s[n + 1];
      if (s[n + 4] > 0 || !Double.isFinite(loss)) {
        hear.onStep(round, 1, rows, loss);
        return result(t, data, theta, TrainResult.Status.DIVERGED, losses, steps, round, 1, start,
            seen);
      }
      for (int i = 0; i < n; i++) {
        theta[i] = s[i] / s[n + 1];
      }
      steps += (long) s[n + 2];
      seen += (long) s[n + 3];
      losses.add(loss);
      if (!hear.onStep(round, 1, rows, loss) || !hear.onEpoch(round, loss, theta)) {
        status = round == c.epochs() ? TrainResult.Status.COMPLETED : TrainResult.Status.STOPPED;
        break;
      }
    }
    return result(t, data, theta, status, losses, steps, 0, 0, start, seen);
  }

  /** The result of a run, with the final loss over all examples (one more job). */
  private static TrainResult result(SparkTrainer t, SparkData data, double[] theta,
      TrainResult.Status status, Losses losses, long steps, int badEpoch, int badStep, long start,
      long seen) {
    double seconds = (System.nanoTime() - start) / 1e9;
    double[] epochLosses = Arrays.copyOf(losses.values, losses.done);
    double last = losses.done == 0 ? Double.NaN : epochLosses[losses.done - 1];
    return new TrainResult(status, losses.done, steps, t.loss(theta, data), last, epochLosses,
        badEpoch, badStep, seconds, seen);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }
}
