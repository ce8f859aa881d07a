package org.gradc.runtime;

/**
 * How a parameter gets its first value. {@link #describe()} is how {@code gradc check} shows it,
 * written with the user's own lexemes.
 */
public sealed interface InitSpec {
  String describe();

  record Zeros() implements InitSpec {
    public String describe() {
      return "zeros";
    }
  }

  record Ones() implements InitSpec {
    public String describe() {
      return "ones";
    }
  }

  /** Every element set to one number. */
  record Fill(double value, String text) implements InitSpec {
    public String describe() {
      return text;
    }
  }

  record Uniform(double low, double high, String text) implements InitSpec {
    public String describe() {
      return text;
    }
  }

  record Normal(double mean, double std, String text) implements InitSpec {
    public String describe() {
      return text;
    }
  }

  /** Glorot/Xavier uniform: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)). */
  record Xavier() implements InitSpec {
    public String describe() {
      return "xavier";
    }
  }

  /** He normal: N(0, sqrt(2 / fan_in)). */
  record He() implements InitSpec {
    public String describe() {
      return "he";
    }
  }

  /** Literal values, row-major. */
  record Values(double[] values) implements InitSpec {
    public Values {
      values = values.clone();
    }

    @Override
    public double[] values() {
      return values.clone();
    }

    public String describe() {
      return "literal";
    }
  }
}
