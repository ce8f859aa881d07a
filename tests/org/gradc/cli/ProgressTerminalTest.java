package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code gradc train} in a pseudo-terminal ({@code script}) of 60, 80 and 160 columns: every frame
 * of the progress line is exactly one column narrower than the terminal, shows the epoch and a
 * readable loss, and the last frame is complete (the final epoch, a full bar) and ends its line
 * before the summary.
 */
class ProgressTerminalTest {
  private static final Pattern FRAME = Pattern.compile(
      "epoch +(\\d+)/400 (?:\\[([#.]+)\\]( +\\d+%)?)? loss (\\S+) +val (\\S+) *(?: +\\S+ ex/s)?");

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(ints = {60, 80, 160})
  void progressLineFitsAndEndsComplete(int columns) throws IOException, InterruptedException {
    Assumptions.assumeTrue(new File("/usr/bin/script").canExecute(), "script(1) is not installed");
    Path typescript = dir.resolve("typescript");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command = "stty cols " + columns + " rows 24; exec " + quote(java) + " -cp "
        + quote(System.getProperty("java.class.path")) + " org.gradc.cli.Main train examples/iris.grad"
        + " --data examples/data/iris.csv --labels species --val examples/data/iris.csv --epochs 400";
    ProcessBuilder pb = new ProcessBuilder("script", "-q", "-e", "-c", command, typescript.toString())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectErrorStream(true);
    pb.environment().remove("COLUMNS");
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gradc train did not finish");
    assertEquals(0, p.exitValue());
    String text = Files.readString(typescript, StandardCharsets.UTF_8).replace("\r\n", "\n");
    int from = text.indexOf("\ntrain adam");
    int to = text.indexOf("\ntrained 400 epochs");
    assertTrue(from >= 0 && to > from, text);
    String progress = text.substring(text.indexOf('\n', from + 1) + 1, to + 1);
    assertTrue(progress.endsWith("\n"), "the last frame ends its line: " + progress);
    List<String> frames = Arrays.stream(progress.substring(0, progress.length() - 1).split("\r"))
        .filter(f -> !f.isEmpty()).toList();
    assertTrue(frames.size() >= 2, progress);
    for (String f : frames) {
      assertEquals(columns - 1, f.length(), "'" + f + "'");
      Matcher m = FRAME.matcher(f);
      assertTrue(m.matches(), "'" + f + "'");
      assertTrue(Double.isFinite(Double.parseDouble(m.group(4))), f);
    }
    Matcher last = FRAME.matcher(frames.get(frames.size() - 1));
    assertTrue(last.matches());
    assertEquals("400", last.group(1));
    assertTrue(last.group(2).matches("#{10,}"), "a full bar: " + last.group(2));
    assertTrue(last.group(3) == null || last.group(3).endsWith("100%"), last.group(3));
    assertTrue(Double.isFinite(Double.parseDouble(last.group(5))), "the validation loss is shown");
    if (columns >= 80) {
      assertTrue(frames.get(frames.size() - 1).contains(" ex/s"), "room for the throughput");
    }
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
