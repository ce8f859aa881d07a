package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running out of heap while reading data is a one-line error that says what to do. */
class OutOfMemoryTest {
  @TempDir
  Path dir;

  @Test
  void outOfMemoryReadingDataIsACleanError() throws IOException {
    Path csv = dir.resolve("D.csv");
    Files.write(csv, new byte[3 * 1024 * 1024 + 1]);
    SourceLoader.UserError e = assertThrows(SourceLoader.UserError.class,
        () -> SourceLoader.data(csv, () -> {
          throw new OutOfMemoryError("Java heap space");
        }));
    assertEquals("out of memory reading " + csv + " (4 MB); give the JVM more heap,"
        + " e.g. JAVA_OPTS=-Xmx8g", e.getMessage());
  }

  @Test
  void outOfMemoryElsewhereNamesNoFile() {
    assertEquals("out of memory; give the JVM more heap, e.g. JAVA_OPTS=-Xmx8g",
        SourceLoader.outOfMemory(null));
  }

  @Test
  void aFileThatVanishedStillGetsTheMessage() {
    assertEquals("out of memory reading gone.csv; give the JVM more heap, e.g. JAVA_OPTS=-Xmx8g",
        SourceLoader.outOfMemory(Path.of("gone.csv")));
  }
}
