package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gradc.runtime.CompiledModel;
import org.gradc.train.DataException;
import org.gradc.train.DataSet;
import org.gradc.train.Models;
import org.gradc.train.ParamsFile;
import org.gradc.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gradc train} through {@link Main#run}. */
class TrainCommandTest {
  @TempDir
  Path dir;

  private Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void xorTrainsPrintsPredictionsSavesAndPlots() throws IOException, DataException {
    Path save = dir.resolve("xor.json");
    Path plot = dir.resolve("loss.png");
    Cli.Run r = Cli.run("train", "examples/xor.grad", "--data", "examples/data/xor.csv",
        "--save", save.toString(), "--plot", plot.toString());
    assertEquals(0, r.status(), r::toString);
    String out = r.out();
    assertTrue(out.startsWith("model Xor (examples/xor.grad): 17 parameters\n"
        + "data  examples/data/xor.csv: 4 examples\n"
        + "train sgd(lr=0.5), batch 4, 5000 epochs, seed 42\n"), out);
    assertTrue(out.contains("\nfinal loss "), out);
    assertTrue(out.contains("\naccuracy 100.00% (4/4)\n"), out);
    List<String> lines = out.lines().toList();
    int p = lines.indexOf("predictions");
    assertEquals("  x[0] x[1] y[0] yhat[0]", lines.get(p + 1));
    double[] expected = {0, 1, 1, 0};
    for (int i = 0; i < 4; i++) {
      String[] f = lines.get(p + 2 + i).trim().split("\\s+");
      assertEquals(expected[i], Double.parseDouble(f[2]));
      assertEquals(expected[i], Math.rint(Double.parseDouble(f[3])), out);
    }
    assertTrue(out.contains("saved parameters and training state (epoch 5000) to " + save + "\n"), out);
    assertTrue(out.contains("saved loss plot to " + plot + "\n"), out);
    assertTrue(Files.readString(save).startsWith("{\n  \"params\" : {\n    \"W1\" : [ [ "));
    CompiledModel m = Models.compileFile("examples/xor.grad");
    assertEquals(17, ParamsFile.read(save, m).length);
    byte[] png = Files.readAllBytes(plot);
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);
    // not a terminal and not --quiet: about ten progress lines on stderr
    assertTrue(r.err().startsWith("epoch 500/5000  loss "), r.err());
    assertTrue(r.err().contains(" (running mean)\n"), r.err());
    assertTrue(r.err().contains("epoch 5000/5000  loss "), r.err());
  }

  @Test
  void flagsOverrideTheTrainBlock() {
    Cli.Run r = Cli.run("train", "examples/xor.grad", "--data", "examples/data/xor.csv", "--quiet",
        "--optimizer", "adam", "--lr", "0.05", "--epochs", "800", "--batch", "2", "--seed", "7",
        "--clip", "5", "--weight-decay", "0.0001");
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("train adam(lr=0.05, beta1=0.9, beta2=0.999, eps=1.0E-8), batch 2, 800 epochs,"
        + " seed 7, clip 5.0, weight_decay 1.0E-4\n"), r.out());
    assertTrue(r.out().contains("trained 800 epochs (1600 steps)"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void progressBarOnRequest() {
    Cli.Run r = Cli.run("train", "examples/xor.grad", "--data", "examples/data/xor.csv", "--progress",
        "--epochs", "300");
    assertEquals(0, r.status(), r::toString);
    String last = r.err().substring(r.err().lastIndexOf('\r') + 1);
    assertTrue(last.matches("epoch 300/300 \\[#+\\] 100% loss \\d\\.\\S* +\\S+ ex/s\n"), last);
  }

  @Test
  void validationLossIsReported() throws IOException {
    Path plot = dir.resolve("v.png");
    Cli.Run r = Cli.run("train", "examples/xor.grad", "--data", "examples/data/xor.csv", "--val",
        "examples/data/xor.csv", "--epochs", "50", "--plot", plot.toString());
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("; validation examples/data/xor.csv: 4 examples\n"), r.out());
    assertTrue(r.out().contains("\nvalidation loss "), r.out());
    assertTrue(r.err().contains("epoch 50/50  loss ") && r.err().contains("  val "), r.err());
    assertTrue(Files.size(plot) > 1000);
  }

  @Test
  void resumingAfterNEpochsGivesBitForBitTheRunOf2N() throws IOException {
    Path half = dir.resolve("half.json");
    Path resumed = dir.resolve("resumed.json");
    Path whole = dir.resolve("whole.json");
    String[] common = {"train", "examples/iris.grad", "--data", "examples/data/iris.csv", "--labels",
        "species", "--quiet", "--optimizer", "adam", "--lr", "0.01", "--batch", "32",
        "--schedule", "step(every=7, gamma=0.9)"};
    Cli.Run a = Cli.run(concat(common, "--epochs", "6", "--save", half.toString()));
    assertEquals(0, a.status(), a::toString);
    Cli.Run b = Cli.run(concat(common, "--epochs", "12", "--resume", half.toString(), "--save",
        resumed.toString()));
    assertEquals(0, b.status(), b::toString);
    assertTrue(b.out().contains("resumed from " + half + " at epoch 6"), b.out());
    assertTrue(b.out().contains("trained epochs 7–12 (30 steps)"), b.out());
    Cli.Run c = Cli.run(concat(common, "--epochs", "12", "--save", whole.toString()));
    assertEquals(0, c.status(), c::toString);
    // parameters, Adam's moments and step count, the schedule's position: every byte the same
    assertEquals(Files.readString(whole), Files.readString(resumed));
    Cli.Run again = Cli.run(concat(common, "--epochs", "12", "--resume", whole.toString()));
    assertEquals(1, again.status(), again::toString);
    assertEquals("gradc: error: " + whole + ": cannot continue: the saved run has already trained 12"
        + " epochs; give a larger --epochs\n", again.err());
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void resumeFromBareParametersStartsAFreshRunFromThem() throws IOException, DataException {
    CompiledModel m = Models.compileFile("examples/xor.grad");
    double[] theta = m.initialParameters(3);
    Path p = file("p.json", ParamsFile.toJson(m, theta));
    Path c = dir.resolve("c.json");
    Cli.Run more = Cli.run("train", "examples/xor.grad", "--data", "examples/data/xor.csv", "--quiet",
        "--epochs", "20", "--resume", p.toString(), "--save", c.toString());
    assertEquals(0, more.status(), more::toString);
    DataSet d = DataSet.readCsv(Path.of("examples/data/xor.csv"), m, DataSet.Targets.REQUIRED, false);
    Trainer.fromDefaults(m).epochs(20).fit(theta, d.inputs(), d.targets(), d.examples());
    assertArrayEquals(theta, ParamsFile.read(c, m), 0);
  }

  private static final String XOR_HEADER = "x[0],x[1],y[0]\n";

  private void assertBadData(String csv, String message) throws IOException {
    Path data = file("bad.csv", csv);
    Path save = dir.resolve("never.json");
    Cli.Run r = Cli.run("train", "examples/xor.grad", "--data", data.toString(), "--save", save.toString());
    assertEquals(1, r.status(), r::toString);
    assertEquals("gradc: error: " + data + ":" + message + "\n", r.err());
    assertEquals("", r.out());
    assertFalse(Files.exists(save), "--save must not be written");
    try (var files = Files.list(dir)) {
      assertEquals(List.of(data), files.toList());
    }
  }

  @Test
  void missingColumn() throws IOException {
    assertBadData("x[0],y[0]\n0,0\n", "1:3: missing column 'x[1]' for input x[2]; the file has x[0], y[0];"
        + " expected x[0], x[1], y[0]");
  }

  @Test
  void notANumber() throws IOException {
    assertBadData(XOR_HEADER + "0,0,0\n0,abc,1\n", "3:2: not a number: 'abc' in column 'x[1]'");
  }

  @Test
  void raggedRow() throws IOException {
    assertBadData(XOR_HEADER + "0,0,0\n0,1\n", "3:3: ragged row: 2 fields, but the header has 3");
  }

  @Test
  void emptyFile() throws IOException {
    assertBadData("", "1:1: empty file: expected a header row naming the columns");
  }

  @Test
  void extraColumn() throws IOException {
    assertBadData("x[0],x[1],y[0],z\n0,0,0,9\n",
        "1:4: unexpected column 'z': model Xor has no such input or target (--ignore-extra skips it)");
  }

  @Test
  void extraColumnIgnoredOnRequest() throws IOException {
    Path data = file("extra.csv", "id,x[0],x[1],y[0]\n1,0,0,0\n2,1,1,0\n");
    Cli.Run r = Cli.run("train", "examples/xor.grad", "--data", data.toString(), "--ignore-extra",
        "--epochs", "1", "--quiet");
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains(": 2 examples\n"), r.out());
  }

  @Test
  void badValidationDataIsCheckedBeforeTraining() throws IOException {
    Path val = file("val.csv", XOR_HEADER + "1,x,0\n");
    Path save = dir.resolve("p.json");
    Cli.Run r = Cli.run("train", "examples/xor.grad", "--data", "examples/data/xor.csv", "--val",
        val.toString(), "--save", save.toString());
    assertEquals(1, r.status(), r::toString);
    assertEquals("gradc: error: " + val + ":2:2: not a number: 'x' in column 'x[1]'\n", r.err());
    assertFalse(Files.exists(save));
  }

  @Test
  void missingFilesAreUserErrors() {
    Cli.Run r = Cli.run("train", "examples/xor.grad", "--data", "nope.csv");
    assertEquals(1, r.status(), r::toString);
    assertEquals("gradc: error: nope.csv: cannot read: no such file\n", r.err());
    Cli.Run resume = Cli.run("train", "examples/xor.grad", "--data", "examples/data/xor.csv", "--resume", "nope.json");
    assertEquals(1, resume.status(), resume::toString);
    assertEquals("gradc: error: nope.json: cannot read: no such file\n", resume.err());
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(2, Cli.run("train", "examples/xor.grad").status());
    Cli.Run batch = Cli.run("train", "examples/xor.grad", "--data", "examples/data/xor.csv", "--batch", "0");
    assertEquals(2, batch.status(), batch::toString);
    assertTrue(batch.err().contains("batch size must be at least 1, got 0"), batch.err());
    Cli.Run opt = Cli.run("train", "examples/xor.grad", "--data", "examples/data/xor.csv", "--optimizer", "rmsprop");
    assertEquals(2, opt.status(), opt::toString);
    assertTrue(opt.err().contains("unknown optimizer 'rmsprop' (expected sgd, momentum or adam)"), opt.err());
  }

  @Test
  void divergenceStopsWithEpochAndStepAndSavesTheLastGoodParameters() throws IOException, DataException {
    Path grad = file("blowup.grad", """
        model Blowup {
          input x
          target y
          param w = 0.5
          yhat = w * x
          output yhat
          loss (y - yhat)^2
          train {
            optimizer sgd(lr = 1)
            batch 1
            epochs 1000
          }
        }
        """);
    Path data = file("big.csv", "x,y\n10,1\n");
    Path save = dir.resolve("last.json");
    Cli.Run r = Cli.run("train", grad.toString(), "--data", data.toString(), "--save", save.toString(), "--quiet");
    assertEquals(1, r.status(), r::toString);
    assertTrue(r.err().matches("(?s)gradc: error: the loss or its gradient became NaN or infinite at epoch \\d+,"
        + " step 1; training stopped, keeping the last parameters that gave a finite loss \\(try a smaller --lr,"
        + " or --clip\\)\n"), r.err());
    assertTrue(r.out().contains("saved parameters and training state (epoch "), r.out());
    CompiledModel m = Models.compile(Files.readString(grad));
    assertTrue(Double.isFinite(ParamsFile.read(save, m)[0]));
  }
}
