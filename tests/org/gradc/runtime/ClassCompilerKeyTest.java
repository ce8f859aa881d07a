package org.gradc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/**
 * The in-memory class cache's key is the class name and the code without its comments, compared
 * whole: code that differs only in comments shares a class, and any other difference (inside a
 * string literal that looks like a comment too) gets a class of its own.
 */
class ClassCompilerKeyTest {
  private static final String NAME = "org.gradc.generated.KeyProbe";

  /** A loadable class whose layout string is {@code layout}, with a comment {@code note}. */
  private static String source(String layout, String note) {
    return "package org.gradc.generated;\n"
        + "/* " + note + " */\n"
        + "public final class KeyProbe implements org.gradc.runtime.GeneratedCode {\n"
        + "  // " + note + "\n"
        + "  public String workspaceLayout() {\n"
        + "    return \"" + layout + "\"; // " + note + "\n"
        + "  }\n"
        + "}\n";
  }

  @Test
  void commentsDoNotChangeTheKey() {
    assertEquals(ClassCompiler.key(NAME, source("2b", "from a file")),
        ClassCompiler.key(NAME, source("2b", "from a string, a longer comment")));
  }

  @Test
  void codeAndTheClassNameDo() {
    String a = source("2b // not a comment", "same");
    String b = source("2b // not a comment either", "same");
    String c = source("2b /* not a comment */", "same");
    assertNotEquals(ClassCompiler.key(NAME, a), ClassCompiler.key(NAME, b));
    assertNotEquals(ClassCompiler.key(NAME, a), ClassCompiler.key(NAME, c));
    assertNotEquals(ClassCompiler.key(NAME, a), ClassCompiler.key(NAME + "2", a));
  }

  @Test
  void aCommentOnlyChangeIsNotCompiledAgain() {
    long before = ClassCompiler.compilations();
    GeneratedCode first = ClassCompiler.load(NAME, source("3b 1", "one"));
    GeneratedCode second = ClassCompiler.load(NAME, source("3b 1", "two"));
    assertEquals(before + 1, ClassCompiler.compilations());
    assertSame(first.getClass(), second.getClass());
    GeneratedCode other = ClassCompiler.load(NAME, source("3b 2", "one"));
    assertEquals(before + 2, ClassCompiler.compilations());
    assertEquals("3b 1", second.workspaceLayout());
    assertEquals("3b 2", other.workspaceLayout());
  }
}
