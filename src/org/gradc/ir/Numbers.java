package org.gradc.ir;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Deterministic number text, the same on every JDK ({@code Double.toString} is not shortest on
 * JDK 17 and prints some values differently from JDK 19 on). One digit search, three spellings:
 * math ({@link #format}), Java/JSON ({@link #shortest}) and Java source ({@link #javaLiteral});
 * and the two roundings for display: {@link #significant} and {@link #fixed}.
 */
public final class Numbers {
  private static final RoundingMode[] ROUNDINGS = {
      RoundingMode.HALF_EVEN, RoundingMode.UP, RoundingMode.DOWN};

  private Numbers() {}

  /** For math: integers without a fraction ({@code 2}), else the shortest round-trip decimal. */
  public static String format(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return (v == 0 && 1 / v < 0 ? "-" : "") + Long.toString((long) v);
    }
    BigDecimal d = shortestDecimal(v);
    String plain = d.toPlainString();
    String sci = d.toString();
    return plain.length() <= sci.length() + 4 ? plain : sci;
  }

  /**
   * For Java and JSON: plain notation with at least one fraction digit for 1e-3 <= |v| < 1e7
   * ({@code 0.5}, {@code 12.0}), otherwise {@code d.dddE±n} ({@code 1.0E-8}). NaN and infinities
   * as {@code NaN}, {@code Infinity}, {@code -Infinity}.
   */
  public static String shortest(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Infinity" : "-Infinity";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0.0" : "0.0";
    }
    BigDecimal d = shortestDecimal(v);
    String digits = d.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - d.scale();
    String sign = v < 0 ? "-" : "";
    double abs = Math.abs(v);
    if (abs >= 1e-3 && abs < 1e7) {
      String plain = d.abs().toPlainString();
      return sign + (plain.indexOf('.') < 0 ? plain + ".0" : plain);
    }
    String frac = digits.length() > 1 ? digits.substring(1) : "0";
    return sign + digits.charAt(0) + "." + frac + "E" + exponent;
  }

  /** A Java expression for the double: negative numbers parenthesized, NaN and infinities named. */
  public static String javaLiteral(double v) {
    if (Double.isNaN(v)) {
      return "Double.NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
    }
    String s = shortest(v);
    return s.startsWith("-") ? "(" + s + ")" : s;
  }

  /** The decimal with the fewest significant digits that parses back to {@code v} (finite, non-zero). */
  private static BigDecimal shortestDecimal(double v) {
    BigDecimal exact = new BigDecimal(v);
    for (int p = 1; p <= 17; p++) {
      // the nearest p-digit decimal first; next to a power of two the rounding interval is
      // lopsided, and only the neighbour on the wider side may parse back
      for (RoundingMode mode : ROUNDINGS) {
        BigDecimal r = exact.round(new MathContext(p, mode));
        if (r.doubleValue() == v) {
          return r.stripTrailingZeros();
        }
      }
    }
    return exact.stripTrailingZeros();
  }

  /**
   * For progress and summaries: {@code digits} significant digits without trailing zeros
   * ({@code 0.0123457}, {@code 1.5e-07}); integers below 10^6 as integers.
   */
  public static String significant(double v, int digits) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e6) {
      return Long.toString((long) v);
    }
    String s = String.format(java.util.Locale.ROOT, "%." + digits + "g", v);
    int e = s.indexOf('e');
    String mantissa = e < 0 ? s : s.substring(0, e);
    String exponent = e < 0 ? "" : s.substring(e);
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return mantissa + exponent;
  }

  /** For tables of values: {@code decimals} digits after the point; negative zero as zero. */
  public static String fixed(double x, int decimals) {
    String s = String.format(java.util.Locale.ROOT, "%." + decimals + "f", x);
    return s.matches("-0\\.?0*") ? s.substring(1) : s;
  }
}
