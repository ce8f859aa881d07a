package org.gradc.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NumbersTest {
  @ParameterizedTest
  @CsvSource({
      "0.1, 0.1", "0.5, 0.5", "1, 1.0", "-12, -12.0", "1e-3, 0.001", "1e-4, 1.0E-4",
      "1e7, 1.0E7", "9999999, 9999999.0", "2e-3, 0.002", "1.7976931348623157e308, 1.7976931348623157E308",
      "4.9e-324, 5.0E-324", "2.0e-3, 0.002", "123456.789, 123456.789", "-0.0, -0.0", "0, 0.0",
      // JDK 17's Double.toString prints 2.0E-3 as 0.002 too, but 1.0E23 as 1.0E23 and
      // 2^-44 with 17 digits where 16 suffice; the shortest form is the same on every JDK
      "1.0E23, 1.0E23", "5.684341886080802E-14, 5.684341886080802E-14",
  })
  void shortestRoundTrip(double v, String text) {
    assertEquals(text, Numbers.shortest(v));
  }

  @Test
  void alwaysParsesBackExactly() {
    Random rnd = new Random(1);
    for (int i = 0; i < 100_000; i++) {
      double v = Double.longBitsToDouble(rnd.nextLong());
      if (Double.isFinite(v)) {
        assertEquals(v, Double.parseDouble(Numbers.shortest(v)), Numbers.shortest(v));
      }
      double w = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(20) - 10);
      assertEquals(w, Double.parseDouble(Numbers.shortest(w)));
    }
  }

  @Test
  void javaLiterals() {
    assertEquals("(-1.5)", Numbers.javaLiteral(-1.5));
    assertEquals("Double.NaN", Numbers.javaLiteral(Double.NaN));
    assertEquals("Double.NEGATIVE_INFINITY", Numbers.javaLiteral(Double.NEGATIVE_INFINITY));
  }

  @Test
  void displayRoundings() {
    assertEquals("0.0123457", Numbers.significant(0.0123456789, 6));
    assertEquals("1.5e-07", Numbers.significant(1.5e-7, 6));
    assertEquals("42", Numbers.significant(42, 6));
    assertEquals("0.5", Numbers.significant(0.5, 6));
    assertEquals("0.000", Numbers.fixed(-1e-9, 3));
    assertEquals("-0.001", Numbers.fixed(-0.0012, 3));
    assertEquals("2.500", Numbers.fixed(2.5, 3));
  }
}
