package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gradc.codegen.HostileTextTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A source file's name cannot inject code through the commands that compile and run it. */
class HostileFileNameTest {
  @TempDir
  Path dir;

  @Test
  void fileNamesWithLineBreaksQuotesAndEscapesInjectNothing() throws IOException {
    String stmt = "System.setProperty(\"" + HostileTextTest.PROPERTY + "\", \"";
    List<String[]> cases = new ArrayList<>();
    // the name ends a comment and opens a call whose string the DSL line closes
    cases.add(new String[] {"a\n" + stmt, HostileTextTest.model("M", "\"); //")});
    cases.add(new String[] {"a\n" + stmt, "model M {\n input x[2]\n param w[2] = ones\n"
        + " loss sum(x * w) /* \"INJECTED\"); System.out.println(\"INJECTED\"); /* */\n}\n"});
    for (String p : HostileTextTest.payloads()) {
      if (p.indexOf('\0') < 0) {
        String name = p.replace('/', ' ');
        cases.add(new String[] {"a" + name, HostileTextTest.model("M", p)});
      }
    }
    int tried = 0;
    for (String[] c : cases) {
      Path file;
      try {
        file = dir.resolve(c[0] + ".grad");
        Files.writeString(file, c[1], StandardCharsets.UTF_8);
      } catch (InvalidPathException | IOException e) {
        continue; // a name this file system or encoding cannot hold
      }
      tried++;
      Cli.Run check = Cli.run("gradcheck", file.toString());
      assertEquals(0, check.status(), check.err());
      Cli.Run emit = Cli.run("emit", file.toString());
      assertEquals(0, emit.status(), emit.err());
      HostileTextTest.assertSafe(emit.out());
      HostileTextTest.javac("M", emit.out());
      assertNull(System.getProperty(HostileTextTest.PROPERTY));
    }
    assertTrue(tried >= 10, "file names tried: " + tried);
  }
}
