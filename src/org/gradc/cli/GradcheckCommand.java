package org.gradc.cli;

import org.gradc.diag.UserText;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.gradc.ir.Numbers;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.Precision;
import org.gradc.runtime.TensorSpec;
import org.gradc.train.GradientCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gradc gradcheck FILE [--model M] [--seed N]}: the generated gradient against central
 * finite differences of the generated loss, at random parameters (the declared initializers plus
 * small noise, so no relu sits exactly on its kink) and a random batch (inputs in [-1, 1],
 * targets in [0, 1]), element by element with {@link GradientCheck}. Exit status 1
 * when the worst error exceeds the tolerance (default 1e-6).
 */
@Command(name = "gradcheck",
    description = "Compare generated gradients with central finite differences.")
final class GradcheckCommand implements Callable<Integer> {
  @Mixin
  ModelArgs args;

  @Mixin
  PrecisionArg precision;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "seed of the random parameters and batch (default: 42)")
  long seed;

  @Option(names = "--batch", paramLabel = "B", defaultValue = "4",
      description = "batch size of the random batch (default: 4)")
  int batch;

  @Option(names = "--tolerance", paramLabel = "TOL",
      description = "largest accepted error (default: 1e-6; with --precision f32, 1e-4)")
  Double tolerance;

  @Option(names = "--max-per-param", paramLabel = "N", defaultValue = "64",
      description = "check at most N evenly spread elements of each parameter (default: 64)")
  int maxPerParam;

  /** Largest --batch: a check needs a few examples, and evaluates the loss twice per element. */
  static final int MAX_BATCH = 100_000;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (batch < 1 || batch > MAX_BATCH) {
      throw new ParameterException(spec.commandLine(),
          "--batch must be between 1 and " + MAX_BATCH + ", not " + batch);
    }
    if (maxPerParam < 1) {
      throw new ParameterException(spec.commandLine(), "--max-per-param must be at least 1, not " + maxPerParam);
    }
    if (tolerance != null && (!(tolerance >= 0) || Double.isInfinite(tolerance))) {
      throw new ParameterException(spec.commandLine(),
          "--tolerance must be zero or positive and finite, not " + tolerance);
    }
    int[] status = {0};
    int code = args.run((model, out) -> {
      CompiledModel m = precision.compile(model);
      boolean f32 = m.precision() == Precision.F32;
      double tol = tolerance != null ? tolerance : f32 ? 1e-4 : 1e-6;
      // differences of the f64 loss: a float loss is too coarse to difference
      CompiledModel reference = model.compile();
      long widest = Math.max(m.inputWidth(), m.targetWidth());
      if (widest * batch > Integer.MAX_VALUE - 8) {
        throw new SourceLoader.UserError("--batch " + batch + " is too large for model " + m.name()
            + ": " + batch + " examples × " + widest + " values do not fit in one array");
      }
      Random rnd = new Random(seed);
      double[] theta = m.initialParameters(seed);
      for (int i = 0; i < theta.length; i++) {
        theta[i] += 0.1 * rnd.nextGaussian();
      }
      double[] x = uniform(rnd, batch * m.inputWidth(), -1, 1, f32);
      double[] y = uniform(rnd, batch * m.targetWidth(), 0, 1, f32);
      if (f32) {
        // both models see the same numbers: floats
        for (int i = 0; i < theta.length; i++) {
          theta[i] = (float) theta[i];
        }
      }
      double[] grad = new double[m.parameterCount()];
      double loss = m.lossAndGradient(theta, x, y, batch, grad);
      if (!Double.isFinite(loss)) {
        // models taking logs or roots of their inputs need positive ones
        x = uniform(rnd, batch * m.inputWidth(), 0.1, 1, f32);
        loss = m.lossAndGradient(theta, x, y, batch, grad);
      }
      out.printf(Locale.ROOT, "gradcheck %s (%s): %d parameters, batch %d, seed %d%s, loss %s%n",
          m.name(), UserText.escape(model.file().name()), m.parameterCount(), batch, seed,
          f32 ? ", precision f32" : "", f32 ? Float.toString((float) loss) : Numbers.shortest(loss));
      int width = m.parameters().stream().mapToInt(p -> p.name().length()).max().orElse(0);
      double worstAll = 0;
      double[] scratch = new double[m.parameterCount()];
      double[] xs = x;
      GradientCheck.Loss f = th -> reference.lossAndGradient(th, xs, y, batch, scratch);
      for (TensorSpec p : m.parameters()) {
        double worst = 0;
        int checked = 0;
        int step = Math.max(1, (p.size() + maxPerParam - 1) / maxPerParam);
        for (int i = 0; i < p.size(); i += step) {
          double err = GradientCheck.check(f, theta, grad, p.offset() + i).error();
          worst = Double.isNaN(err) || err > worst ? err : worst;
          checked++;
        }
        worstAll = Double.isNaN(worst) || worst > worstAll ? worst : worstAll;
        out.printf(Locale.ROOT, "  %-" + width + "s  %-10s worst error %.2e  (%d of %d checked)%n",
            p.name(), shape(p.shape()), worst, checked, p.size());
      }
      boolean ok = worstAll <= tol;
      out.printf(Locale.ROOT, "%s: worst error %.2e %s tolerance %.1e%n", ok ? "ok" : "FAILED",
          worstAll, ok ? "<=" : ">", tol);
      status[0] = ok ? 0 : 1;
    });
    return code != 0 ? code : status[0];
  }

  /** n uniform values in [lo, hi), rounded to float when {@code floats}. */
  private static double[] uniform(Random rnd, int n, double lo, double hi, boolean floats) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = lo + (hi - lo) * rnd.nextDouble();
      v[i] = floats ? (float) v[i] : v[i];
    }
    return v;
  }

  private static String shape(int[] s) {
    return java.util.Arrays.toString(s);
  }
}
