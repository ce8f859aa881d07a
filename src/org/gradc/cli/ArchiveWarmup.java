package org.gradc.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The run the launcher records its class-data archive from: every command once, in this JVM,
 * on a small two-layer network, output discarded. An archive recorded from whatever command a
 * user happens to run first would hold only that command's classes; this one holds what all of
 * them load (except classes the JVM cannot archive: those of signed jars and of class files
 * older than Java 6). The launcher points {@code GRADC_CACHE_DIR} at a fresh directory, so the
 * class cache's miss and hit are both recorded.
 */
public final class ArchiveWarmup {
  private static final String MODEL = """
      model Warm {
        input x[2]
        target y[1]
        layer h = dense(x, 3, tanh)
        param W[3, 1] = uniform(-1, 1)
        param b[1] = zeros
        yhat = sigmoid(h @ W + b)
        output yhat
        loss mse(yhat, y)
        train {
          optimizer adam(lr = 0.01)
          epochs 2
        }
      }
      """;

  private ArchiveWarmup() {}

  /**
   * Runs the commands; exits 0 when each succeeded.
   *
   * @param args none
   * @throws IOException when the temporary files cannot be written
   */
  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("gradc-warmup");
    PrintStream none = new PrintStream(OutputStream.nullOutputStream(), true);
    int failed = 0;
    try {
      String grad = write(dir, "warm.grad", MODEL);
      String data = write(dir, "warm.csv", "x[0],x[1],y[0]\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n");
      String values = dir.resolve("v.json").toString();
      String params = dir.resolve("p.json").toString();
      List<List<String>> runs = List.of(
          List.of("check", grad), List.of("grad", grad), List.of("values", grad, "-o", values),
          List.of("eval", grad, "--values", values), List.of("eval", grad, "--values", values),
          List.of("explain", grad, "--values", values), List.of("graph", grad, "--backward"),
          List.of("emit", grad), List.of("gradcheck", grad),
          List.of("train", grad, "--data", data, "--save", params, "--quiet"),
          List.of("predict", grad, "--params", params, "--data", data));
      for (List<String> run : runs) {
        failed += Main.run(run.toArray(String[]::new), none, none) == 0 ? 0 : 1;
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.exit(failed == 0 ? 0 : 1);
  }

  private static String write(Path dir, String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p.toString();
  }
}
