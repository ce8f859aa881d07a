package org.gradc.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gradc.Gradc;
import org.junit.jupiter.api.Test;

/** Positions from offsets, and what a diagnostic shows of the source. */
class DiagnosticTest {

  @Test
  void everyKindOfLineEndEndsALine() {
    SourceFile f = new SourceFile("t.grad", "a\rb\r\nc\nd\r");
    assertEquals(new Span(2, 3, 2, 1), f.span(2, 3));
    assertEquals(new Span(5, 6, 3, 1), f.span(5, 6));
    assertEquals(new Span(7, 8, 4, 1), f.span(7, 8));
    assertEquals("b", f.line(2));
    assertEquals("d", f.line(4));
    assertEquals(5, f.lineCount());
  }

  @Test
  void columnsCountCodePointsAndTheCaretFollows() {
    String text = "x\uD83D\uDE00 q";
    SourceFile f = new SourceFile("t.grad", text);
    Span q = f.span(text.indexOf('q'), text.length());
    assertEquals(4, q.col());
    assertEquals(3, f.offsetOfCodePoint(2));
    String out = new Diagnostic(f, q, "unknown name 'q'").format();
    assertEquals("t.grad:1:4: error: unknown name 'q'\n" + text + "\n   ^\n", out);
  }

  @Test
  void invisibleAndControlCharactersAreEscaped() {
    String text = "h = w\u200B + \u202Eq\u001B[0m \uFEFF";
    SourceFile f = new SourceFile("t.grad", text);
    String out = new Diagnostic(f, f.span(text.indexOf('q'), text.indexOf('q') + 1),
        "unknown name 'q\u001B'").format();
    for (String raw : new String[] {"\u200B", "\u202E", "\u001B", "\uFEFF"}) {
      assertFalse(out.contains(raw), "raw U+" + Integer.toHexString(raw.charAt(0)) + " in " + out);
    }
    assertTrue(out.contains("unknown name 'q\\u001B'"), out);
    String[] lines = out.split("\n");
    assertEquals("h = w\\u200B + \\u202Eq\\u001B[0m \\uFEFF", lines[1]);
    assertEquals(lines[1].indexOf('q'), lines[2].indexOf('^'), out);
  }

  @Test
  void aByteOrderMarkInsideTheTextIsReportedEscaped() {
    GradcException e = assertThrows(GradcException.class, () -> Gradc.check(new SourceFile("b.grad",
        "model M {\n  input x\n  param w = 1\n  loss w \uFEFF* x\n}\n")));
    assertEquals(1, e.diagnostics().size());
    String out = e.diagnostics().get(0).format();
    assertTrue(out.startsWith("b.grad:4:10: error: unexpected character U+FEFF\n"), out);
    assertFalse(out.contains("\uFEFF"), out);
  }
}
