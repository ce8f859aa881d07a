package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs {@code gradc check} on every file of the error corpus in {@code tests/resources/errors}.
 *
 * <p>Each corpus file {@code NAME.grad} states what must be reported, as {@code LINE:COL KEYWORD}
 * lines: either in marker comments {@code // expect: LINE:COL KEYWORD} at the top of the file
 * (the marker lines count as lines of the file), or, for files that cannot hold a comment (empty
 * file, binary garbage, an unterminated comment at the very start), in a sidecar file
 * {@code NAME.expect}. A KEYWORD written {@code warning: WORDS} expects a warning instead of an
 * error. For every file the check must exit with status 1 (0 when only warnings are expected),
 * print {@code PATH:LINE:COL: error: MESSAGE} (or {@code warning:}) with KEYWORD in MESSAGE for
 * each expectation, each line matching one expectation, follow each with the source line and a
 * caret under column COL, end with the one summary {@code gradc: error: PATH has N errors} when
 * there are errors, and print no other diagnostic (a cascade, a duplicate or any other
 * {@code gradc:} line fails the file) and never a stack trace.
 */
class ErrorCorpusTest {

  private static final Path CORPUS = Paths.get("tests", "resources", "errors");
  private static final Pattern EXPECTATION = Pattern.compile("(\\d+):(\\d+)\\s+(.+?)\\s*");
  private static final String MARKER = "// expect:";
  /** A printed diagnostic: {@code PATH:LINE:COL: error: …}, a warning, or {@code gradc: …}. */
  private static final Pattern DIAGNOSTIC =
      Pattern.compile(".+?:\\d+:\\d+: (error|warning): |gradc: ");

  /** One expected diagnostic. */
  private record Expectation(int line, int col, String keyword, boolean warning) {
    @Override
    public String toString() {
      return line + ":" + col + " " + (warning ? "warning: " : "") + keyword;
    }
  }

  @TestFactory
  Stream<DynamicTest> errorCorpus() throws IOException {
    assertTrue(Files.isDirectory(CORPUS), "corpus directory not found: " + CORPUS.toAbsolutePath());
    List<Path> files;
    try (Stream<Path> s = Files.list(CORPUS)) {
      files =
          s.filter(p -> p.getFileName().toString().endsWith(".grad"))
              .sorted()
              .collect(Collectors.toList());
    }
    assertTrue(files.size() >= 45, "error corpus is too small: " + files.size() + " files");
    return files.stream()
        .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), p.toUri(), () -> checkFile(p)));
  }

  /** A 5000-deep nested expression must be rejected cleanly or accepted, never crash. */
  @TestFactory
  Stream<DynamicTest> deeplyNestedExpressions() {
    int depth = 5000;
    return Stream.of(
        DynamicTest.dynamicTest(
            "nested function calls",
            () -> checkDeep("calls", "sigmoid(".repeat(depth) + "w * x" + ")".repeat(depth))),
        DynamicTest.dynamicTest(
            "nested parentheses",
            () -> checkDeep("parens", "(".repeat(depth) + "w * x" + ")".repeat(depth))),
        DynamicTest.dynamicTest(
            "nested unary minus",
            () -> checkDeep("negations", "-".repeat(depth) + "w * x")),
        DynamicTest.dynamicTest(
            "long left-associative chain",
            () -> checkDeep("chain", "w * x" + " + w * x".repeat(depth))));
  }

  private static void checkDeep(String name, String lossExpr) throws IOException {
    String src =
        "model Deep {\n"
            + "  input x\n"
            + "  param w = 0.5\n"
            + "  loss " + lossExpr + "\n"
            + "}\n";
    Path dir = Files.createTempDirectory("gradc-deep");
    Path file = dir.resolve(name + ".grad");
    Cli.Run r;
    try {
      Files.writeString(file, src, StandardCharsets.UTF_8);
      r = runCheck(file.toString());
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
    assertNoCrash(r);
    if (r.status() != 0) {
      assertEquals(1, r.status(), "exit status (stderr:\n" + r.err() + ")");
      assertTrue(
          r.err().contains("nested too deeply"),
          "expected either success or a 'nested too deeply' error, got:\n" + r.err());
    }
  }

  private static void checkFile(Path file) throws IOException {
    List<Expectation> expected = expectations(file);
    assertFalse(expected.isEmpty(), file + " states no expectation");
    String path = file.toString();
    Cli.Run r = runCheck(path);
    assertNoCrash(r);
    int status = expected.stream().allMatch(Expectation::warning) ? 0 : 1;
    assertEquals(status, r.status(), "exit status of gradc check " + path + "; stderr:\n" + r.err());

    List<String> sourceLines = sourceLines(file);
    List<String> errLines = r.err().lines().collect(Collectors.toList());
    // every diagnostic printed must be expected, each by one expectation: no cascades, no
    // duplicates, no general "gradc: …" error besides the located ones
    List<Integer> unexpected = new ArrayList<>();
    for (int i = 0; i < errLines.size(); i++) {
      if (DIAGNOSTIC.matcher(errLines.get(i)).lookingAt()) {
        unexpected.add(i);
      }
    }
    for (Expectation e : expected) {
      String prefix = path + ":" + e.line + ":" + e.col + (e.warning ? ": warning: " : ": error: ");
      Integer at = null;
      for (Integer i : unexpected) {
        String l = errLines.get(i);
        if (l.startsWith(prefix) && l.substring(prefix.length()).toLowerCase(Locale.ROOT)
            .contains(e.keyword.toLowerCase(Locale.ROOT))) {
          at = i;
          break;
        }
      }
      if (at == null) {
        fail("expected an error '" + prefix + "…" + e.keyword + "…' for " + e + "; stderr was:\n" + r.err());
      }
      unexpected.remove(at);
      checkCaret(e, sourceLines, errLines, at, r.err());
    }
    // and, when there are errors, the one summary that counts them
    long errors = expected.stream().filter(e -> !e.warning).count();
    if (errors > 0) {
      String summary = "gradc: error: " + path + " has " + errors + (errors == 1 ? " error" : " errors");
      Integer at = unexpected.stream().filter(i -> errLines.get(i).equals(summary)).findFirst()
          .orElse(null);
      assertTrue(at != null, "no summary '" + summary + "'; stderr was:\n" + r.err());
      unexpected.remove(at);
    }
    assertEquals(List.of(), unexpected.stream().map(errLines::get).collect(Collectors.toList()),
        "diagnostics nobody expected (expected exactly " + expected + "); stderr was:\n" + r.err());
  }

  /** The two lines after the error line: the source line, then a caret under column COL. */
  private static void checkCaret(
      Expectation e, List<String> sourceLines, List<String> errLines, int at, String err) {
    String src = e.line - 1 < sourceLines.size() ? stripTrailing(sourceLines.get(e.line - 1)) : "";
    if (src.isBlank()) {
      return; // nothing to underline (empty line, end of file)
    }
    String where = " for " + e + "; stderr was:\n" + err;
    assertTrue(at + 2 < errLines.size(), "source line and caret line missing" + where);
    String shown = errLines.get(at + 1);
    String caret = errLines.get(at + 2);
    int caretCol = caret.indexOf('^');
    assertTrue(caretCol >= 0, "no caret line after the source line" + where);
    if (!isPrintable(src)) {
      return; // a renderer may escape control characters; only the caret's presence is checked
    }
    int base;
    if (shown.contains(src)) {
      base = shown.indexOf(src);
    } else {
      String stripped = src.strip();
      int p = shown.indexOf(stripped);
      assertTrue(p >= 0, "source line '" + src + "' not shown after the error" + where);
      base = p - (src.length() - src.stripLeading().length());
    }
    assertEquals(base + e.col - 1, caretCol, "caret column" + where);
    assertTrue(caret.substring(0, caretCol).isBlank(), "caret line has text before the '^'" + where);
  }

  private static void assertNoCrash(Cli.Run r) {
    for (String bad : List.of("Exception", "\tat ", "StackOverflowError")) {
      assertFalse(r.err().contains(bad), "stderr contains '" + bad.strip() + "':\n" + r.err());
      assertFalse(r.out().contains(bad), "stdout contains '" + bad.strip() + "':\n" + r.out());
    }
  }

  private static List<Expectation> expectations(Path file) throws IOException {
    String name = file.getFileName().toString();
    Path sidecar = file.resolveSibling(name.substring(0, name.length() - ".grad".length()) + ".expect");
    List<Expectation> result = new ArrayList<>();
    if (Files.exists(sidecar)) {
      for (String l : Files.readAllLines(sidecar, StandardCharsets.UTF_8)) {
        if (!l.isBlank()) {
          result.add(parse(l.strip(), sidecar));
        }
      }
      return result;
    }
    for (String l : sourceLines(file)) {
      if (!l.startsWith(MARKER)) {
        break;
      }
      result.add(parse(l.substring(MARKER.length()).strip(), file));
    }
    return result;
  }

  private static Expectation parse(String s, Path from) {
    Matcher m = EXPECTATION.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException(from + ": bad expectation '" + s + "'");
    }
    String keyword = m.group(3);
    boolean warning = keyword.startsWith("warning:");
    return new Expectation(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        warning ? keyword.substring("warning:".length()).strip() : keyword, warning);
  }

  /** The file's lines, split the way a diagnostic counts them ("\n", "\r\n" or "\r"). */
  private static List<String> sourceLines(Path file) throws IOException {
    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    return List.of(text.split("\r\n|\r|\n", -1));
  }

  private static boolean isPrintable(String s) {
    return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
  }

  private static String stripTrailing(String s) {
    return s.stripTrailing();
  }

  private static Cli.Run runCheck(String path) {
    return assertDoesNotThrow(() -> Cli.run("check", path));
  }
}
