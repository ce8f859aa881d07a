package org.gradc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A JVM without the Vector API module hears about it exactly once; one with it, never. */
class VectorWarningTest {
  static final String WARNING = "gradc: the JVM lacks the Vector API module";

  record Run(int status, String out, String err) {}

  static Run java(String... jvmArgs) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(jvmArgs));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        PlainJvmProbe.class.getName()));
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  static long count(String text, String what) {
    return text.lines().filter(l -> l.contains(what)).count();
  }

  @Test
  void aPlainJvmIsWarnedOnceNamingTheFlag() throws Exception {
    Run r = java();
    assertEquals(0, r.status(), r.err());
    assertEquals("A 6.0\nB 6.0\n", r.out());
    assertEquals(1, count(r.err(), WARNING), r.err());
    assertEquals(1, count(r.err(), "--add-modules jdk.incubator.vector"), r.err());
  }

  @Test
  void aJvmWithTheModuleIsNotWarned() throws Exception {
    Run r = java("--add-modules", "jdk.incubator.vector");
    assertEquals(0, r.status(), r.err());
    assertEquals(0, count(r.err(), WARNING), r.err());
  }
}
