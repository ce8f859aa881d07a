package org.gradc.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UserTextTest {
  @Test
  void plainTextIsKept() {
    assertEquals("x[0] héllo δ1 W1 — ok", UserText.quote("x[0] héllo δ1 W1 — ok"));
    assertEquals("tab", UserText.quote("tab"));
  }

  @Test
  void controlAndInvisibleCharactersAreEscaped() {
    assertEquals("\\u001B[31mred", UserText.quote("\u001B[31mred"));
    assertEquals("\\uFEFFx", UserText.quote("\uFEFFx"));
    assertEquals("a\\u200Bb", UserText.quote("a\u200Bb"));
    assertEquals("\\u202Eevil\\u202C", UserText.quote("\u202Eevil\u202C"));
    assertEquals("\\u2066x\\u2069", UserText.quote("\u2066x\u2069"));
    assertEquals("a\\u0000b\\u0007c\\u007Fd\\u0085e\\u009Bf", UserText.quote("a\0b\u0007c\u007Fd\u0085e\u009Bf"));
    assertEquals("line\\u000Anext\\u000D\\u0009", UserText.quote("line\nnext\r\t"));
    assertEquals("\\u2028\\u00A0", UserText.quote("\u2028\u00A0"));
    assertEquals("\\uD800", UserText.quote("\uD800"), "a lone surrogate");
    assertEquals("\\uDB40\\uDC01", UserText.quote("\uDB40\uDC01"), "a language tag (format, supplementary)");
    assertEquals("😀", UserText.quote("😀"));
  }

  @Test
  void longTextIsShortened() {
    String mb = "7".repeat(1 << 20);
    String q = UserText.quote(mb);
    assertTrue(q.length() <= UserText.MAX + 1, q);
    assertEquals("7".repeat(UserText.MAX) + "…", q);
    assertEquals("7".repeat(UserText.MAX), UserText.quote("7".repeat(UserText.MAX)));
    String escapes = UserText.quote("\u001B".repeat(1000));
    assertTrue(escapes.endsWith("…") && escapes.length() <= UserText.MAX + 1, escapes);
    assertEquals(mb, UserText.escape(mb), "escape alone never shortens");
  }
}
