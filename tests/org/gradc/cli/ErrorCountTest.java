package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Past the limit of printed diagnostics, the closing line still counts every error. */
class ErrorCountTest {
  @TempDir
  Path dir;

  @Test
  void theSummaryCountsErrorsThatWereNotShown() throws IOException {
    StringBuilder b = new StringBuilder("model M {\n  input x\n  param w = 1\n");
    for (int i = 0; i < 500; i++) {
      b.append("  v").append(i).append(" = nope").append(i).append(" * w\n");
    }
    b.append("  loss w * x\n}\n");
    Path f = dir.resolve("many.grad");
    Files.writeString(f, b.toString());
    Cli.Run r = Cli.run("check", f.toString());
    assertEquals(1, r.status());
    assertEquals(100, r.err().lines().filter(l -> l.startsWith(f + ":") && l.contains("nope"))
        .count(), r.err());
    assertTrue(r.err().contains("400 more errors"), r.err());
    assertTrue(r.err().endsWith("gradc: error: " + f + " has 500 errors\n"), r.err());
  }
}
