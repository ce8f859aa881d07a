package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output that cannot be written is an error; files are written whole, with the umask's mode. */
class OutputFilesTest {
  @TempDir
  Path dir;

  /** A stream like a full disk or a closed pipe: every write fails. */
  private static final class Failing extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      throw new IOException("No space left on device");
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      throw new IOException("No space left on device");
    }
  }

  @Test
  void failedStandardOutputIsAnError() {
    for (String[] args : List.of(new String[] {"check", "examples/xor.grad"},
        new String[] {"emit", "examples/xor.grad"}, new String[] {"grad", "examples/xor.grad"},
        new String[] {"train", "examples/xor.grad", "--data", "examples/data/xor.csv", "--epochs", "1"})) {
      Cli.Run r = Cli.run(new Failing(), args);
      assertEquals(1, r.status(), String.join(" ", args) + ": " + r.err());
      assertTrue(r.err().endsWith("gradc: error: cannot write to standard output\n"), r.err());
      assertFalse(r.err().contains("Exception"), r.err());
    }
  }

  @Test
  void predictToDevFullFails() throws IOException {
    Path devFull = Path.of("/dev/full");
    assumeTrue(Files.exists(devFull), "no /dev/full");
    Path params = dir.resolve("p.json");
    Cli.Run t = Cli.run("train", "examples/xor.grad", "--data", "examples/data/xor.csv",
        "--epochs", "1", "--quiet", "--save", params.toString());
    assertEquals(0, t.status(), t.err());
    try (FileOutputStream full = new FileOutputStream(devFull.toFile())) {
      Cli.Run r = Cli.run(full, "predict", "examples/xor.grad", "--params", params.toString(),
          "--data", "examples/data/xor.csv");
      assertEquals(1, r.status(), r.err());
      assertEquals("gradc: error: cannot write to standard output\n", r.err());
    }
  }

  @Test
  void saveToMissingDirectoryFailsBeforeTraining() {
    Path save = dir.resolve("no-such-dir").resolve("p.json");
    Cli.Run r = Cli.run("train", "examples/xor.grad", "--data", "examples/data/xor.csv",
        "--quiet", "--save", save.toString());
    assertEquals(1, r.status(), r.err());
    assertEquals("", r.out(), "nothing is trained");
    assertEquals("gradc: error: cannot write '" + save + "': no such directory '"
        + save.getParent() + "'\n", r.err());
  }

  @Test
  void plotIntoADirectoryFailsBeforeTraining() {
    Cli.Run r = Cli.run("train", "examples/xor.grad", "--data", "examples/data/xor.csv",
        "--quiet", "--plot", dir.toString());
    assertEquals(1, r.status(), r.err());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("gradc: error: cannot write the plot '" + dir + "': it is a directory"),
        r.err());
  }

  @Test
  void savedFilesHonourTheUmask() throws IOException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path reference = dir.resolve("reference");
    Files.newOutputStream(reference).close();
    Set<PosixFilePermission> expected = Files.getPosixFilePermissions(reference);

    Path save = dir.resolve("p.json");
    Path plot = dir.resolve("loss.png");
    Cli.Run t = Cli.run("train", "examples/xor.grad", "--data", "examples/data/xor.csv",
        "--epochs", "2", "--quiet", "--save", save.toString(), "--plot", plot.toString());
    assertEquals(0, t.status(), t.err());
    Cli.Run e = Cli.run("emit", "examples/xor.grad", "-o", dir.toString());
    assertEquals(0, e.status(), e.err());
    for (Path p : List.of(save, plot, dir.resolve("Xor.java"))) {
      assertEquals(expected, Files.getPosixFilePermissions(p), p.toString());
    }
    assertEquals(List.of(), temporaryFiles());
  }

  @Test
  void failedEmitLeavesNoPartialOrTemporaryFile() throws IOException {
    // the target name is taken by a non-empty directory: the rename cannot replace it
    Path blocked = Files.createDirectories(dir.resolve("Xor.java"));
    Files.writeString(blocked.resolve("keep"), "x");
    Cli.Run r = Cli.run("emit", "examples/xor.grad", "-o", dir.toString());
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().startsWith("gradc: error: cannot write '" + blocked + "': "), r.err());
    assertFalse(r.err().contains(".tmp"), r.err());
    assertEquals(List.of(), temporaryFiles());
    assertEquals("x", Files.readString(blocked.resolve("keep")));
  }

  @Test
  void emitReplacesAnExistingFileWhole() throws IOException {
    Path target = dir.resolve("Xor.java");
    Files.writeString(target, "old and much longer text than nothing ".repeat(1000));
    Cli.Run r = Cli.run("emit", "examples/xor.grad", "-o", dir.toString());
    assertEquals(0, r.status(), r.err());
    assertEquals(Cli.run("emit", "examples/xor.grad").out(), Files.readString(target));
  }

  private List<Path> temporaryFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }
}
