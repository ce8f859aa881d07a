package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gradc.Gradc;
import org.gradc.diag.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model without an output: a warning from check and train, which still succeed. */
class WarningsTest {
  private static final String NO_OUTPUT = """
      model Line {
        input x
        target y
        param w = 0.5
        loss (w * x - y) ^ 2
      }
      """;
  private static final String WARNING = ":1:7: warning: model 'Line' has no output; add 'output NAME'";

  @TempDir
  Path dir;

  private Path model() throws IOException {
    Path p = dir.resolve("line.grad");
    Files.writeString(p, NO_OUTPUT);
    return p;
  }

  @Test
  void checkWarnsWithCaretAndSucceeds() throws IOException {
    Path p = model();
    Cli.Run r = Cli.run("check", p.toString());
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.err().startsWith(p + WARNING), r.err());
    assertTrue(r.err().endsWith("\nmodel Line {\n      ^\n"), r.err());
    assertTrue(r.out().contains("outputs       (none)"), r.out());
  }

  @Test
  void trainWarnsAndTrains() throws IOException {
    Path p = model();
    Path data = dir.resolve("line.csv");
    Files.writeString(data, "x,y\n1,2\n2,4\n");
    Cli.Run r = Cli.run("train", p.toString(), "--data", data.toString(), "--epochs", "3", "--quiet");
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.err().startsWith(p + WARNING), r.err());
    assertTrue(r.out().contains("trained 3 epochs"), r.out());
  }

  @Test
  void otherCommandsStayQuiet() throws IOException {
    Cli.Run r = Cli.run("grad", model().toString());
    assertEquals(0, r.status(), r::toString);
    assertEquals("", r.err());
  }

  @Test
  void theProgramCarriesTheWarningAndAModelWithAnOutputHasNone() {
    var warnings = Gradc.load(new org.gradc.diag.SourceFile("a.grad", NO_OUTPUT)).warnings();
    assertEquals(1, warnings.size());
    assertEquals(Diagnostic.Severity.WARNING, warnings.get(0).severity());
    assertFalse(Gradc.load(new org.gradc.diag.SourceFile("b.grad",
        NO_OUTPUT.replace("loss", "output w\n  loss"))).warnings().size() > 0);
  }
}
