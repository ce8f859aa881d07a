package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gradc.diag.UserText;
import org.gradc.runtime.CompiledModel;
import org.gradc.train.Models;
import org.gradc.train.Optimizer;
import org.gradc.train.TrainListener;
import org.gradc.train.TrainResult;
import org.gradc.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Absurd sizes, repeated options and terminal escapes on the command line: clean errors. */
class HostileArgumentsTest {
  @TempDir
  Path dir;

  private static void assertClean(Cli.Run r) {
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    r.err().codePoints().forEach(cp -> assertFalse(cp == 0x1B || cp == 0x07 || cp == 0x202E,
        () -> "raw U+" + Integer.toHexString(cp) + " in " + r.err()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2000000000", "0", "-1", "100001"})
  void gradcheckBatchOutOfRangeIsAUsageError(String batch) {
    Cli.Run r = Cli.run("gradcheck", "examples/xor.grad", "--batch", batch);
    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().startsWith("gradc: error: --batch must be between 1 and 100000, not " + batch + " (see gradc gradcheck --help)\n"), r.err());
    assertEquals("", r.out());
    assertClean(r);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--max-per-param=0", "--tolerance=-1", "--tolerance=NaN", "--batch=x"})
  void gradcheckUsageErrorsExitTwo(String option) {
    Cli.Run r = Cli.run("gradcheck", "examples/xor.grad", option);
    assertEquals(2, r.status(), r.err());
    assertClean(r);
  }

  @Test
  void optimizerOptionsGivenTwiceAreUsageErrors() {
    for (String[] twice : new String[][] {{"--lr", "0.1", "--lr", "0.2"},
        {"--optimizer", "adam", "--optimizer", "sgd"}, {"--batch", "2", "--batch=3"}}) {
      String[] args = new String[5 + twice.length];
      System.arraycopy(new String[] {"train", "examples/xor.grad", "--data", "examples/data/xor.csv",
          "--quiet"}, 0, args, 0, 5);
      System.arraycopy(twice, 0, args, 5, twice.length);
      Cli.Run r = Cli.run(args);
      assertEquals(2, r.status(), r.err());
      assertTrue(r.err().startsWith("gradc: error: option '" + twice[0] + "'") && r.err().contains("should be specified only once"),
          r.err());
      assertEquals("", r.out(), "nothing trained");
    }
  }

  @Test
  void unknownOptionsAndModelNamesAreEscaped() {
    Cli.Run option = Cli.run("check", "examples/xor.grad", "--bogus\u001B[31mred");
    assertEquals(2, option.status());
    assertTrue(option.err().startsWith("gradc: error: Unknown option: '--bogus\\u001B[31mred'"), option.err());
    assertClean(option);

    Cli.Run model = Cli.run("check", "examples/xor.grad", "--model", "\u202EroX\u0007");
    assertEquals(1, model.status());
    assertEquals("gradc: error: no model '\\u202EroX\\u0007' in examples/xor.grad; it has 'Xor'\n", model.err());

    Cli.Run pkg = Cli.run("emit", "examples/xor.grad", "--package", "a.\u001B[2J");
    assertEquals(2, pkg.status());
    assertTrue(pkg.err().startsWith("gradc: error: --package: 'a.\\u001B[2J' is not a Java package name"), pkg.err());
    assertClean(pkg);

    Cli.Run opt = Cli.run("train", "examples/xor.grad", "--data", "examples/data/xor.csv",
        "--optimizer", "sgd\u001B[0m");
    assertEquals(2, opt.status());
    assertTrue(opt.err().startsWith("gradc: error: unknown optimizer 'sgd\\u001B[0m'"), opt.err());
    assertClean(opt);
  }

  @Test
  void dataErrorsThroughTheCommandLineAreOneCleanLine() throws IOException {
    Path csv = dir.resolve("D.csv");
    Files.writeString(csv, "x[0],x[1],y[0]\n0,\u001B]0;owned\u0007" + "1".repeat(1 << 20) + ",1\n");
    Cli.Run r = Cli.run("train", "examples/xor.grad", "--data", csv.toString(), "--quiet");
    assertEquals(1, r.status());
    String escapes = "\\u001B]0;owned\\u0007";
    assertEquals("gradc: error: " + csv + ":2:2: not a number: '" + escapes
        + "1".repeat(UserText.MAX - escapes.length()) + "…' in column 'x[1]'\n", r.err());
    assertClean(r);
  }

  @Test
  void predictRejectsABadBatchBeforeAllocating() {
    CompiledModel m = Models.compileFile("examples/xor.grad");
    double[] theta = m.initialParameters(1);
    // a billion examples' outputs would take 8 GB; the inputs are checked first
    assertThrows(IllegalArgumentException.class, () -> m.predict(theta, new double[2], 1_000_000_000));
    assertThrows(IllegalArgumentException.class, () -> m.predict(theta, new double[2], -4));
    Trainer t = Trainer.of(m, Optimizer.sgd(0.1));
    assertThrows(IllegalArgumentException.class, () -> t.predict(theta, new double[2], 1_000_000_000));
  }

  @Test
  void hugeEpochCountsCostNothingUpFront() {
    CompiledModel m = Models.compileFile("examples/xor.grad");
    Trainer t = Trainer.of(m, Optimizer.sgd(0.1)).epochs(Integer.MAX_VALUE);
    TrainResult r = t.fit(m.initialParameters(1), new double[] {0, 0, 0, 1, 1, 0, 1, 1},
        new double[] {0, 1, 1, 0}, 4, new TrainListener() {
          @Override
          public boolean onEpoch(int epoch, double loss, double[] params) {
            return epoch < 3000;
          }
        });
    assertEquals(3000, r.epochs());
    assertEquals(3000, r.epochLosses().length);
  }
}
