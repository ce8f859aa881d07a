package org.gradc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.gradc.runtime.CompiledModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV files are read streaming: large files parse right in about the memory of their arrays. */
class LargeDataTest {
  private static final int ROWS = 200_000;

  @TempDir
  Path dir;

  private static String number(Random rnd, int kind) {
    return switch (kind % 6) {
      case 0 -> Integer.toString(rnd.nextInt(2001) - 1000);
      case 1 -> Double.toString(Math.round(rnd.nextGaussian() * 1e6) / 1e6);
      case 2 -> "-" + rnd.nextInt(10) + "." + rnd.nextInt(10000) + "e-" + rnd.nextInt(20);
      case 3 -> "." + rnd.nextInt(100000);
      case 4 -> "+" + rnd.nextInt(100000) + ".25E" + rnd.nextInt(12);
      default -> Double.toString(rnd.nextInt(1 << 20) / 1024.0);
    };
  }

  @Test
  void twoHundredThousandRowsParseExactlyAndCheaply() throws IOException, DataException {
    CompiledModel m = Models.compile("model Big { input x[3]\n target y\n param w[3] = 0.5\n"
        + " loss (y - sum(w * x))^2 }");
    Path csv = dir.resolve("big.csv");
    Random rnd = new Random(11);
    double[] x = new double[3 * ROWS];
    double[] y = new double[ROWS];
    try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      w.write("y, x[2],x[0],\"x[1]\"\r\n");
      for (int r = 0; r < ROWS; r++) {
        String[] f = new String[4];
        for (int c = 0; c < 4; c++) {
          f[c] = number(rnd, r + c);
        }
        y[r] = Double.parseDouble(f[0]);
        x[3 * r + 2] = Double.parseDouble(f[1]);
        x[3 * r] = Double.parseDouble(f[2]);
        x[3 * r + 1] = Double.parseDouble(f[3]);
        w.write(f[0] + "," + f[1] + ", " + f[2] + " ,\"" + f[3] + "\"\n");
        if (r % 1000 == 0) {
          w.write("\n");
        }
      }
    }
    long fileBytes = Files.size(csv);

    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    DataSet d = DataSet.readCsv(csv, m, DataSet.Targets.REQUIRED, false);
    long allocated = threads.getThreadAllocatedBytes(thread) - before;

    assertEquals(ROWS, d.examples());
    assertEquals(3 * ROWS, d.inputs().length);
    assertEquals(ROWS, d.targets().length);
    for (int i = 0; i < x.length; i++) {
      if (Double.doubleToRawLongBits(x[i]) != Double.doubleToRawLongBits(d.inputs()[i])) {
        assertEquals(x[i], d.inputs()[i], "input " + i);
      }
    }
    for (int i = 0; i < y.length; i++) {
      if (Double.doubleToRawLongBits(y[i]) != Double.doubleToRawLongBits(d.targets()[i])) {
        assertEquals(y[i], d.targets()[i], "target " + i);
      }
    }
    // the arrays (6.4 MB) twice over, and each line once as a string; no string per field, no
    // whole-file text, no list of rows (numbers of more than about 15 digits, tested below, take
    // a short-lived string each)
    long arrays = 8L * 4 * ROWS;
    assertTrue(allocated < 2 * arrays + 4 * fileBytes,
        allocated + " bytes allocated reading " + fileBytes + " bytes into " + arrays + " bytes of arrays");
  }

  @Test
  void numbersParseAsParseDoubleDoes() {
    Random rnd = new Random(5);
    String[] fixed = {"0", "-0", "+0", "00012", "0.1", "-.5", "5.", "1e22", "1e23", "9007199254740993",
        "9007199254740992", "123456789012345678901234567890", "0.000000000000000000000000001",
        "1.7976931348623157e308", "4.9e-324", "2e-324", "1e-400", "1E+5", "12.50e-3",
        "3.141592653589793238462643383", "0.30000000000000004", "100000000000000000000000.0e-24",
        "1.000000000000000000000000", "-0.0e10", "123456789012345.6", "8.98846567431158e307"};
    for (String f : fixed) {
      assertSame(f);
    }
    for (int i = 0; i < 50_000; i++) {
      StringBuilder b = new StringBuilder();
      if (rnd.nextInt(3) == 0) {
        b.append(rnd.nextBoolean() ? '-' : '+');
      }
      int intDigits = rnd.nextInt(20);
      for (int k = 0; k < intDigits; k++) {
        b.append((char) ('0' + rnd.nextInt(10)));
      }
      if (intDigits == 0 || rnd.nextBoolean()) {
        b.append('.');
        int frac = (intDigits == 0 ? 1 : 0) + rnd.nextInt(20);
        for (int k = 0; k < frac; k++) {
          b.append((char) ('0' + rnd.nextInt(10)));
        }
      }
      if (rnd.nextBoolean()) {
        b.append(rnd.nextBoolean() ? 'e' : 'E').append(rnd.nextInt(60) - 30);
      }
      assertSame(b.toString());
    }
    for (String bad : new String[] {"", "-", ".", "1e", "1e+", "1.2.3", "e5", "0x10", "NaN",
        "Infinity", "1d", "1f", " 1", "1 ", "١"}) {
      assertTrue(Double.isNaN(DataSet.parseNumber(bad, 0, bad.length())), bad);
    }
  }

  private static void assertSame(String s) {
    assertEquals(Double.doubleToRawLongBits(Double.parseDouble(s)),
        Double.doubleToRawLongBits(DataSet.parseNumber(s, 0, s.length())), s);
  }
}
