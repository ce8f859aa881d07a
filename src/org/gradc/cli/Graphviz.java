package org.gradc.cli;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Renders DOT text to SVG or PNG with Graphviz's {@code dot} program, found on PATH. */
final class Graphviz {
  /** A drawing that takes longer than this is abandoned. */
  private static final long TIMEOUT_SECONDS = 120;

  private Graphviz() {}

  /** The {@code dot} executable in the directories of {@code path} (PATH's syntax), if any. */
  static Optional<Path> find(String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      for (String name : new String[] {"dot", "dot.exe"}) {
        Path p = Path.of(dir, name);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Runs {@code dot -T<format> -o <file>} on {@code dotText}.
   *
   * @param dot the program, or empty when PATH has none (a user error naming the package)
   * @param option the option asked for, {@code --svg} or {@code --png}, for the messages
   */
  static void render(Optional<Path> dot, String dotText, String format, Path file, String option)
      throws SourceLoader.UserError {
    if (dot.isEmpty()) {
      throw new SourceLoader.UserError(option + " needs Graphviz's 'dot' program, which is not on"
          + " PATH; install the package 'graphviz' (apt-get install graphviz, brew install"
          + " graphviz), or write the DOT text without " + option + " and render it elsewhere");
    }
    try {
      Process p = new ProcessBuilder(dot.get().toString(), "-T" + format, "-o", file.toString())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.PIPE).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(dotText.getBytes(StandardCharsets.UTF_8));
      } catch (IOException stoppedReading) {
        // dot quit before it read everything: its exit status and message below say why
      }
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new SourceLoader.UserError("Graphviz's dot took over " + TIMEOUT_SECONDS
            + " s to draw " + file + "; try the DOT text without " + option);
      }
      if (p.exitValue() != 0) {
        throw new SourceLoader.UserError("Graphviz's dot failed to write " + file + " (exit "
            + p.exitValue() + (err.isEmpty() ? "" : ": " + err.lines().findFirst().orElse(""))
            + ")");
      }
    } catch (IOException e) {
      throw new SourceLoader.UserError("cannot run Graphviz's dot (" + dot.get() + "): "
          + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SourceLoader.UserError("interrupted while Graphviz's dot drew " + file);
    }
  }
}
