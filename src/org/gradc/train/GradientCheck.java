package org.gradc.train;

/**
 * Central finite differences against an analytic gradient: the one checker behind
 * {@code gradc gradcheck} and the tests. Step {@code h = cbrt(eps) · max(1, |θ_i|)} (the step
 * that balances truncation and rounding error of a central difference); the error of one
 * element is {@code |analytic − numeric| / max(1, |analytic|, |numeric|)}, relative for
 * gradients above 1 and absolute below, where differences of small gradients are dominated by
 * rounding.
 */
public final class GradientCheck {
  private GradientCheck() {}

  /** A scalar loss as a function of a flat parameter vector. */
  @FunctionalInterface
  public interface Loss {
    /**
     * The loss at {@code theta}.
     *
     * @param theta the parameters; the checker changes one element at a time and restores it, so
     *     the function must read it on every call and not keep it
     * @return the loss
     */
    double at(double[] theta);
  }

  /**
   * One checked element.
   *
   * @param index the element of the parameter vector
   * @param analytic the gradient that was checked
   * @param numeric the central difference
   * @param error {@link #error(double, double)} of the two (NaN when either is NaN)
   */
  public record Element(int index, double analytic, double numeric, double error) {}

  /**
   * The central-difference step for an element of value {@code x}.
   *
   * @param x the parameter's value
   * @return {@code cbrt(eps) · max(1, |x|)}
   */
  public static double step(double x) {
    return Math.cbrt(Math.ulp(1.0)) * Math.max(1, Math.abs(x));
  }

  /**
   * The central difference {@code (f(θ + h e_i) − f(θ − h e_i)) / 2h}; {@code theta[i]} is
   * restored afterwards.
   *
   * @param f the loss
   * @param theta the parameters
   * @param i the element to vary
   * @param h the step
   * @return the numeric derivative
   */
  public static double centralDifference(Loss f, double[] theta, int i, double h) {
    double saved = theta[i];
    try {
      theta[i] = saved + h;
      double up = f.at(theta);
      theta[i] = saved - h;
      double down = f.at(theta);
      return (up - down) / (2 * h);
    } finally {
      theta[i] = saved;
    }
  }

  /**
   * The error measure of the class comment.
   *
   * @param analytic the gradient element
   * @param numeric its central difference
   * @return the error, NaN when either is NaN
   */
  public static double error(double analytic, double numeric) {
    double scale = Math.max(1, Math.max(Math.abs(numeric), Math.abs(analytic)));
    return Math.abs(numeric - analytic) / scale;
  }

  /**
   * Checks element {@code i} of {@code gradient} with the default step.
   *
   * @param f the loss
   * @param theta the parameters ({@code theta[i]} is restored)
   * @param gradient the analytic gradient at {@code theta}
   * @param i the element
   * @return the two values and their error
   */
  public static Element check(Loss f, double[] theta, double[] gradient, int i) {
    double numeric = centralDifference(f, theta, i, step(theta[i]));
    return new Element(i, gradient[i], numeric, error(gradient[i], numeric));
  }
}
