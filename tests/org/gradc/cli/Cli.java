package org.gradc.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the command line in-process and captures what it prints: the one runner of the tests. */
public final class Cli {
  private Cli() {}

  /** Exit status and the text of stdout and stderr. */
  public record Run(int status, String out, String err) {
    @Override
    public String toString() {
      return "status " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** {@code gradc ARGS…} in this JVM. */
  public static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Run r = run(out, args);
    return new Run(r.status(), out.toString(StandardCharsets.UTF_8), r.err());
  }

  /**
   * {@code gradc ARGS…} in this JVM with standard output written to {@code stdout} (a stream
   * that fails, say); the run's {@code out} is then empty.
   */
  public static Run run(OutputStream stdout, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(stdout, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, "", err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Compares {@code actual} with a golden file byte for byte; with {@code -Dgradc.updateGoldens=true}
   * rewrites the file instead.
   */
  public static String golden(Path file, String actual) throws IOException {
    if (Boolean.getBoolean("gradc.updateGoldens")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
