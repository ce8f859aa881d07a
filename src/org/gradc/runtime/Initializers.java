package org.gradc.runtime;

import java.util.List;
import java.util.Random;

/**
 * Fills a flat parameter vector from each parameter's declared initializer. Random initializers
 * draw from one {@link java.util.Random} seeded with the seed, in parameter order, so a seed gives
 * the same vector on every JDK. Fans: a matrix [m, n] has fan_in m and fan_out n; a vector [n]
 * uses n for both; a scalar 1; convolution filters [F, C, K, K] fan_in C·K·K and fan_out F·K·K.
 */
public final class Initializers {
  private Initializers() {}

  public static double[] initialize(List<TensorSpec> params, List<InitSpec> inits, long seed) {
    int total = params.stream().mapToInt(TensorSpec::size).sum();
    double[] theta = new double[total];
    Random rnd = new Random(seed);
    for (int p = 0; p < params.size(); p++) {
      TensorSpec spec = params.get(p);
      fill(theta, spec, inits.get(p), rnd);
    }
    return theta;
  }

  private static void fill(double[] theta, TensorSpec spec, InitSpec init, Random rnd) {
    int off = spec.offset();
    int n = spec.size();
    int[] shape = spec.shape();
    int fanIn = shape.length == 0 ? 1 : shape[0];
    int fanOut = shape.length == 0 ? 1 : shape.length == 1 ? shape[0] : shape[1];
    if (shape.length == 4) {
      // convolution filters [F, C, K, K], counted as torch.nn.init does
      fanIn = shape[1] * shape[2] * shape[3];
      fanOut = shape[0] * shape[2] * shape[3];
    }
    if (init instanceof InitSpec.Zeros) {
      return;
    }
    if (init instanceof InitSpec.Ones) {
      java.util.Arrays.fill(theta, off, off + n, 1.0);
    } else if (init instanceof InitSpec.Fill f) {
      java.util.Arrays.fill(theta, off, off + n, f.value());
    } else if (init instanceof InitSpec.Uniform u) {
      for (int i = 0; i < n; i++) {
        theta[off + i] = u.low() + (u.high() - u.low()) * rnd.nextDouble();
      }
    } else if (init instanceof InitSpec.Normal g) {
      for (int i = 0; i < n; i++) {
        theta[off + i] = g.mean() + g.std() * rnd.nextGaussian();
      }
    } else if (init instanceof InitSpec.Xavier) {
      // Glorot uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out))
      double a = Math.sqrt(6.0 / (fanIn + fanOut));
      for (int i = 0; i < n; i++) {
        theta[off + i] = -a + 2 * a * rnd.nextDouble();
      }
    } else if (init instanceof InitSpec.He) {
      // He normal: N(0, sqrt(2 / fan_in))
      double std = Math.sqrt(2.0 / fanIn);
      for (int i = 0; i < n; i++) {
        theta[off + i] = std * rnd.nextGaussian();
      }
    } else if (init instanceof InitSpec.Values v) {
      double[] values = v.values();
      if (values.length != n) {
        throw new IllegalArgumentException("initializer of '" + spec.name() + "' has "
            + values.length + " values, expected " + n);
      }
      System.arraycopy(values, 0, theta, off, n);
    } else {
      throw new IllegalArgumentException("unknown initializer " + init);
    }
  }
}
