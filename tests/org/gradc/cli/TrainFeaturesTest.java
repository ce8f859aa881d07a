package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class labels, predicted classes, early stopping, schedules as flags and one-line usage errors. */
class TrainFeaturesTest {
  @TempDir
  Path dir;

  private static final String[] IRIS = {"train", "examples/iris.grad", "--data", "examples/data/iris.csv",
      "--labels", "species", "--quiet"};

  private static String[] with(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void irisFromSpeciesNamesReaches95PercentAndPredictPrintsTheSpecies() throws IOException {
    Path save = dir.resolve("iris.json");
    Cli.Run r = Cli.run(with(IRIS, "--save", save.toString()));
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("\n      y from column 'species': 3 classes, setosa, versicolor, virginica\n"),
        r.out());
    Matcher acc = Pattern.compile("\naccuracy (\\d+\\.\\d+)% \\(").matcher(r.out());
    assertTrue(acc.find(), r.out());
    assertTrue(Double.parseDouble(acc.group(1)) >= 95, r.out());
    assertTrue(Files.readString(save).contains("\"classes\" : [ \"setosa\", \"versicolor\", \"virginica\" ]"));

    Cli.Run p = Cli.run("predict", "examples/iris.grad", "--params", save.toString(), "--data",
        "examples/data/iris.csv");
    assertEquals(0, p.status(), p::toString);
    List<String> lines = p.out().lines().toList();
    assertEquals("probs[0],probs[1],probs[2],species", lines.get(0));
    assertEquals(151, lines.size());
    assertTrue(lines.get(1).endsWith(",setosa"), lines.get(1));
    assertTrue(lines.get(150).endsWith(",virginica"), lines.get(150));
    // the inputs alone (no species column) are enough to predict
    Path inputs = dir.resolve("new.csv");
    Files.writeString(inputs, "sepal_length,sepal_width,petal_length,petal_width\n5.0,3.4,1.5,0.2\n");
    Cli.Run q = Cli.run("predict", "examples/iris.grad", "--params", save.toString(), "--data", inputs.toString());
    assertEquals(0, q.status(), q::toString);
    assertTrue(q.out().lines().toList().get(1).endsWith(",setosa"), q.out());
  }

  @Test
  void patienceStopsAndKeepsTheBestEpoch() {
    Cli.Run r = Cli.run(with(IRIS, "--val", "examples/data/iris.csv", "--epochs", "2000", "--patience", "5"));
    assertEquals(0, r.status(), r::toString);
    Matcher m = Pattern.compile("\nearly stopping: kept epoch (\\d+) of (\\d+) \\(lowest validation loss (\\S+);"
        + " none lower in the 5 epochs after it\\)\n").matcher(r.out());
    assertTrue(m.find(), r.out());
    int kept = Integer.parseInt(m.group(1));
    int ran = Integer.parseInt(m.group(2));
    assertEquals(kept + 5, ran, r.out());
    assertTrue(ran < 2000, r.out());
    // the summary's figures are those of the kept parameters: validation data = training data here
    assertTrue(r.out().contains("\nvalidation loss " + m.group(3) + ", accuracy "), r.out());
    assertTrue(r.out().contains("\nfinal loss " + m.group(3) + " (mean over the 150 training examples at the kept"
        + " parameters;"), r.out());
  }

  @Test
  void schedulesAsFlags() {
    Cli.Run r = Cli.run(with(IRIS, "--epochs", "5", "--schedule", "cosine(warmup=20)"));
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains(", schedule cosine(warmup=20)\n"), r.out());
    Cli.Run bad = Cli.run(with(IRIS, "--schedule", "step(gamma=0.5)"));
    assertEquals(2, bad.status(), bad::toString);
    assertEquals("gradc: error: step needs every = STEPS, e.g. step(every=100, gamma=0.5) (see gradc train"
        + " --help)\n", bad.err());
  }

  @Test
  void usageErrorsAreOneLine() {
    for (String[] args : new String[][] {{"--epochs", "0"}, {"--optimizer", "adamw"}, {"--patience", "0"},
        {"--labels", "z=species"}, {"--columns", "x"}}) {
      Cli.Run r = Cli.run(with(IRIS, args));
      assertEquals(2, r.status(), r::toString);
      assertTrue(r.err().startsWith("gradc: error: ") && r.err().endsWith(" (see gradc train --help)\n")
          && r.err().lines().count() == 1, r.err());
      assertEquals("", r.out());
    }
    assertEquals("gradc: error: --epochs must be at least 1, got 0 (see gradc train --help)\n",
        Cli.run(with(IRIS, "--epochs", "0")).err());
    assertEquals("gradc: error: unknown optimizer 'adamw' (expected sgd, momentum or adam) (see gradc train"
        + " --help)\n", Cli.run(with(IRIS, "--optimizer", "adamw")).err());
  }

  @Test
  void labelsNeedATargetNameWhenThereAreSeveral() throws IOException {
    Path grad = dir.resolve("two.grad");
    Files.writeString(grad, """
        model Two {
          input x[2]
          target a[1]
          target b[1]
          param w[2] = zeros
          s = dot(w, x)
          output s
          loss (s - a[0])^2 + (s - b[0])^2
        }
        """);
    Cli.Run r = Cli.run("train", grad.toString(), "--data", "examples/data/xor.csv", "--labels", "y[0]");
    assertEquals(2, r.status(), r::toString);
    assertEquals("gradc: error: --labels: model Two has targets a, b; say which one, e.g. --labels a=COLUMN"
        + " (see gradc train --help)\n", r.err());
  }
}
