package org.gradc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The example programs the tests run: every {@code .grad} file under {@code examples/}. */
public final class Examples {
  private Examples() {}

  /** Every example file, sorted by path. */
  public static List<Path> files() {
    try (Stream<Path> files = Files.walk(Path.of("examples"))) {
      return files.filter(p -> p.toString().endsWith(".grad")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
