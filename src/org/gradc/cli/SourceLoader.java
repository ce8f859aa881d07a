package org.gradc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.gradc.Gradc;
import org.gradc.diag.Diagnostic;
import org.gradc.diag.GradcException;
import org.gradc.diag.UserText;
import org.gradc.Model;
import org.gradc.Program;
import org.gradc.runtime.DiskClassCache;
import org.gradc.train.DataException;

/** Reads and checks the FILE argument of a command, reporting problems as user errors. */
final class SourceLoader {
  private SourceLoader() {}

  /** A problem in what the user gave us; the command prints it and exits 1. */
  static final class UserError extends Exception {
    UserError(String message) {
      super(message);
    }
  }

  /** Reads a data or values file, turning its located problem into a user error. */
  static <T> T data(DataReader<T> reader) throws UserError {
    return data(null, reader);
  }

  /**
   * Reads the data, parameter or values file {@code file}, turning its located problem, or
   * running out of memory while reading it, into a user error.
   */
  static <T> T data(Path file, DataReader<T> reader) throws UserError {
    try {
      return reader.read();
    } catch (DataException e) {
      throw new UserError(e.getMessage());
    } catch (OutOfMemoryError e) {
      throw new UserError(outOfMemory(file));
    }
  }

  /**
   * What to say when the heap is exhausted (reading {@code file}, or anywhere when it is null):
   * the launcher passes {@code JAVA_OPTS} to the JVM.
   */
  static String outOfMemory(Path file) {
    String what = "out of memory";
    if (file != null) {
      what += " reading " + file;
      try {
        long mb = (Files.size(file) + (1 << 20) - 1) >> 20;
        what += " (" + mb + " MB)";
      } catch (IOException | RuntimeException e) {
        // the size is only a hint
      }
    }
    return what + "; give the JVM more heap, e.g. JAVA_OPTS=-Xmx8g";
  }

  /** A read that can fail with a located data problem. */
  interface DataReader<T> {
    T read() throws DataException;
  }

  /** Prints a user error the one way every command does. */
  static void report(java.io.PrintWriter err, UserError e) {
    err.println("gradc: error: " + UserText.escape(e.getMessage()));
  }

  /**
   * The persistent class cache commands compile through ({@code GRADC_CACHE_DIR}, by default
   * the user's cache directory), or null when {@code GRADC_CACHE=off} turns it off.
   */
  static DiskClassCache cache() {
    String mode = System.getenv("GRADC_CACHE");
    if (mode != null && List.of("off", "0", "false", "no").contains(mode.strip().toLowerCase(Locale.ROOT))) {
      return null;
    }
    String dir = System.getenv("GRADC_CACHE_DIR");
    try {
      return DiskClassCache.open(dir == null || dir.isBlank() ? DiskClassCache.defaultDirectory()
          : Path.of(dir), DiskClassCache.DEFAULT_MAX_BYTES);
    } catch (InvalidPathException e) {
      return null; // an unusable directory costs speed only
    }
  }

  static Program load(Path path, PrintWriter err, boolean trustRules) throws UserError {
    try {
      return Gradc.load(Gradc.read(path), cache(), trustRules);
    } catch (NoSuchFileException e) {
      throw new UserError("cannot read '" + path + "': no such file");
    } catch (IOException e) {
      throw new UserError("cannot read '" + path + "': " + e.getMessage());
    } catch (GradcException e) {
      for (Diagnostic d : e.diagnostics()) {
        err.print(d.format());
      }
      int n = e.errorCount();
      throw new UserError(path + " has " + n + (n == 1 ? " error" : " errors"));
    }
  }

  /** Prints the file's warnings (for the commands that show them: check and train). */
  static void warn(PrintWriter err, Program program) {
    program.warnings().forEach(d -> err.print(d.format()));
  }

  /** The model named by {@code --model}, or the first one. */
  static Model select(Program program, String name) throws UserError {
    return program.model(name).orElseThrow(() -> new UserError("no model '" + UserText.quote(name) + "' in "
        + UserText.escape(program.file().name()) + "; it has " + program.models().stream()
            .map(m -> "'" + m.name() + "'").collect(Collectors.joining(", "))));
  }
}
