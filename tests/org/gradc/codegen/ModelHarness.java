package org.gradc.codegen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.gradc.ir.Evaluator;
import org.gradc.ir.Node;
import org.gradc.lower.Plan;
import org.gradc.runtime.LoadedModel;
import org.gradc.train.GradientCheck;

/**
 * Compares a compiled model three ways: generated code, the reference evaluator on the same
 * simplified graph, and central finite differences of the generated loss.
 */
public final class ModelHarness {
  private ModelHarness() {}

  /** Values for one comparison: parameters and a batch. */
  public record Point(double[] theta, double[] inputs, double[] targets, int batch) {}

  public static Point randomPoint(LoadedModel m, int batch, double lo, double hi, long seed) {
    Random rnd = new Random(seed);
    double[] theta = new double[m.parameterCount()];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = lo + (hi - lo) * rnd.nextDouble();
    }
    double[] x = new double[batch * m.inputWidth()];
    for (int i = 0; i < x.length; i++) {
      x[i] = lo + (hi - lo) * rnd.nextDouble();
    }
    double[] y = new double[batch * m.targetWidth()];
    for (int i = 0; i < y.length; i++) {
      y[i] = lo + (hi - lo) * rnd.nextDouble();
    }
    return new Point(theta, x, y, batch);
  }

  /** Leaf values for the reference evaluator: per-name arrays, batched ones contiguous. */
  public static Map<String, double[]> leaves(Plan plan, Point pt) {
    Map<String, double[]> v = new HashMap<>();
    for (Plan.Slot p : plan.params()) {
      double[] a = new double[p.size()];
      System.arraycopy(pt.theta(), p.offset(), a, 0, p.size());
      v.put(p.name(), a);
    }
    split(plan.inputs(), pt.inputs(), pt.batch(), v);
    split(plan.targets(), pt.targets(), pt.batch(), v);
    return v;
  }

  private static void split(List<Plan.Slot> slots, double[] flat, int batch,
      Map<String, double[]> v) {
    int width = slots.stream().mapToInt(Plan.Slot::size).sum();
    for (Plan.Slot s : slots) {
      double[] a = new double[batch * s.size()];
      for (int e = 0; e < batch; e++) {
        System.arraycopy(flat, e * width + s.offset(), a, e * s.size(), s.size());
      }
      v.put(s.name(), a);
    }
  }

  /** Differences between generated and reference values beyond {@code tol} (relative). */
  public static List<String> compareWithReference(Plan plan, LoadedModel m, Point pt, double tol) {
    List<String> failures = new ArrayList<>();
    Evaluator ev = new Evaluator(pt.batch(), leaves(plan, pt));
    double[] grad = new double[m.parameterCount()];
    double loss = m.lossAndGradient(pt.theta(), pt.inputs(), pt.targets(), pt.batch(), grad);
    compare("loss", new double[] {ev.scalar(plan.objective())}, new double[] {loss}, 0, tol,
        failures);
    for (Plan.Slot p : plan.params()) {
      double[] want = ev.value(plan.gradients().get(p.node()));
      compare("d/d" + p.name(), want, grad, p.offset(), tol, failures);
    }
    if (!plan.outputs().isEmpty()) {
      double[] out = m.predict(pt.theta(), pt.inputs(), pt.targets(), pt.batch());
      int width = m.outputWidth();
      for (Plan.Slot o : plan.outputs()) {
        double[] want = ev.value(o.node());
        for (int e = 0; e < pt.batch(); e++) {
          for (int i = 0; i < o.size(); i++) {
            double w = o.node().batched() ? want[e * o.size() + i] : want[i];
            double got = out[e * width + o.offset() + i];
            if (!close(w, got, tol)) {
              failures.add("output " + o.name() + "[" + e + "][" + i + "]: reference " + w
                  + ", generated " + got);
            }
          }
        }
      }
    }
    return failures;
  }

  private static void compare(String what, double[] want, double[] got, int offset, double tol,
      List<String> failures) {
    for (int i = 0; i < want.length; i++) {
      if (!close(want[i], got[offset + i], tol)) {
        failures.add(what + "[" + i + "]: reference " + want[i] + ", generated " + got[offset + i]);
      }
    }
  }

  static boolean close(double want, double got, double tol) {
    if (Double.compare(want, got) == 0) {
      return true;
    }
    double scale = Math.max(1, Math.max(Math.abs(want), Math.abs(got)));
    return Math.abs(want - got) <= tol * scale;
  }

  /**
   * Central differences of the generated loss, step h = cbrt(eps) * max(1, |theta_i|), for at
   * most {@code maxCoords} coordinates (spread evenly); failures beyond {@code tol}.
   */
  public static List<String> finiteDifferences(LoadedModel m, Point pt, int maxCoords, double tol) {
    return finiteDifferences(m, pt, maxCoords, tol, false);
  }

  /**
   * Like {@link #finiteDifferences(LoadedModel, Point, int, double)}; with {@code kinks} (the
   * model uses relu, abs, max or min) a disagreement is not counted where the difference
   * quotient itself changes with the step (a kink lies within h of the point).
   */
  public static List<String> finiteDifferences(LoadedModel m, Point pt, int maxCoords, double tol,
      boolean kinks) {
    List<String> failures = new ArrayList<>();
    double[] grad = new double[m.parameterCount()];
    m.lossAndGradient(pt.theta(), pt.inputs(), pt.targets(), pt.batch(), grad);
    int n = m.parameterCount();
    int step = Math.max(1, n / Math.max(1, maxCoords));
    double[] scratch = new double[n];
    double[] theta = pt.theta().clone();
    GradientCheck.Loss f = th -> m.lossAndGradient(th, pt.inputs(), pt.targets(), pt.batch(),
        scratch);
    for (int i = 0; i < n; i += step) {
      GradientCheck.Element e = GradientCheck.check(f, theta, grad, i);
      if (!(e.error() <= tol) && !(kinks && GradientCheck.error(e.numeric(),
          GradientCheck.centralDifference(f, theta, i, GradientCheck.step(theta[i]) / 4)) > tol / 10)) {
        failures.add("theta[" + i + "]: analytic " + grad[i] + ", numeric " + e.numeric());
      }
    }
    return failures;
  }
}
