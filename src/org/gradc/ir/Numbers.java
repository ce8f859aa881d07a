package org.gradc.ir;

import java.math.BigDecimal;
import java.math.MathContext;

/** Deterministic number text: the shortest decimal that parses back to the same double. */
public final class Numbers {
  private Numbers() {}

  public static String format(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return (v == 0 && 1 / v < 0 ? "-" : "") + Long.toString((long) v);
    }
    BigDecimal exact = new BigDecimal(v);
    for (int digits = 1; digits <= 17; digits++) {
      BigDecimal d = exact.round(new MathContext(digits)).stripTrailingZeros();
      if (Double.parseDouble(d.toString()) == v) {
        String plain = d.toPlainString();
        String sci = d.toString();
        return plain.length() <= sci.length() + 4 ? plain : sci;
      }
    }
    return exact.toString();
  }
}
