package org.gradc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gradc.runtime.CompiledModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile data and JSON files: duplicate keys, trailing garbage, control and invisible characters,
 * megabyte-long fields. Each is an error naming the file and the key or line, with the user's
 * text escaped and shortened.
 */
class HostileDataTest {
  @TempDir
  Path dir;

  private static final String XOR = """
      model Xor {
        input x[2]
        target y[1]
        param W[2, 1] = 0.5
        param b[1] = 0
        yhat = sigmoid(x @ W + b)
        output yhat
        loss mse(yhat, y)
      }
      """;

  private static CompiledModel xor() {
    return Models.compile(XOR);
  }

  private String values(String json) throws IOException {
    Path v = dir.resolve("V.json");
    Files.writeString(v, json);
    return assertThrows(DataException.class, () -> ValuesFile.read(v, xor(), 1)).getMessage()
        .replace(v.toString(), "V.json");
  }

  private static String params(String json) {
    return assertThrows(DataException.class, () -> ParamsFile.parse("P.json", json, xor())).getMessage();
  }

  private static String csv(String text) {
    return assertThrows(DataException.class,
        () -> DataSet.parseCsv("D.csv", text, xor(), DataSet.Targets.REQUIRED, false)).getMessage();
  }

  @Test
  void duplicateKeysAreErrors() throws IOException {
    assertEquals("V.json:1:42: invalid JSON: duplicate key \"x\"",
        values("{\"batch\": {\"x\": [[1, 2]], \"y\": [[1]], \"x\": [[3, 4]]}}"));
    assertEquals("V.json:2:9: invalid JSON: duplicate key \"batch\"",
        values("{\"batch\": {\"x\": [[1, 2]], \"y\": [[1]]},\n \"batch\": {}}"));
    assertEquals("P.json:1:32: invalid JSON: duplicate key \"W\"",
        params("{\"W\": [[1], [2]], \"b\": [0], \"W\": [[3], [4]]}"));
    assertEquals("P.json:1:43: invalid JSON: duplicate key \"b\"",
        params("{\"params\": {\"W\": [[1], [2]], \"b\": [0], \"b\": [1]}}"));
  }

  @Test
  void trailingGarbageAndSecondDocumentsAreErrors() throws IOException {
    String ok = "{\"batch\": {\"x\": [[1, 2]], \"y\": [[1]]}}";
    assertEquals("V.json:2:1: invalid JSON: unexpected text after the JSON value (a file holds one document)",
        values(ok + "\n" + ok));
    assertEquals("V.json:1:40: invalid JSON: unexpected text after the JSON value (a file holds one document)",
        values(ok + " []"));
    assertTrue(values(ok + " xyz").matches("V.json:1:\\d+: invalid JSON: Unrecognized token 'xyz'.*"));
    assertEquals("P.json:1:29: invalid JSON: unexpected text after the JSON value (a file holds one document)",
        params("{\"W\": [[1], [2]], \"b\": [0]} {}"));
    // white space after the document is fine
    ValuesFile.Values v = read(ok + "\n\n  \n");
    assertEquals(1, v.batchSize());
  }

  private ValuesFile.Values read(String json) throws IOException {
    Path v = dir.resolve("ok.json");
    Files.writeString(v, json);
    try {
      return ValuesFile.read(v, xor(), 1);
    } catch (DataException e) {
      throw new AssertionError(e.getMessage());
    }
  }

  @Test
  void keysAndStringsInMessagesAreEscapedAndShortened() throws IOException {
    String esc = values("{\"batch\": {\"x\": [[1, 2]], \"y\": [[1]], \"\\u001b[31mred\\u202e\": 1}}");
    assertEquals("V.json: batch.\\u001B[31mred\\u202E: no input or target '\\u001B[31mred\\u202E'"
        + " in model Xor; it has 'x', 'y'", esc);
    String top = values("{\"\\ufeffbatch\": 1}");
    assertEquals("V.json: \\uFEFFbatch: unknown field; expected \"params\", \"batch\" and \"direction\"", top);
    String longKey = values("{\"params\": {\"" + "k".repeat(20_000) + "\": 1}, \"batch\": {}}");
    assertTrue(longKey.length() < 300, longKey.length() + " characters");
    assertTrue(longKey.startsWith("V.json: params." + "k".repeat(60) + "…: no parameter '"), longKey);
    String hugeKey = values("{\"params\": {\"" + "k".repeat(1 << 20) + "\": 1}, \"batch\": {}}");
    assertEquals("V.json: invalid JSON: Name length (1048576) exceeds the maximum allowed (50000)", hugeKey);
    String string = values("{\"batch\": {\"x\": [[1, \"\\u001b[2J" + "z".repeat(5000) + "\"]], \"y\": [[1]]}}");
    assertTrue(string.startsWith("V.json: batch.x[0][1]: expected a number, but got the string \"\\u001B[2Jzzz"),
        string);
    assertTrue(string.length() < 200 && string.endsWith("…\""), string);
    String param = params("{\"W\": [[1], [2]], \"b\": [0], \"\\u200bW\\u0007\": 1}");
    assertEquals("P.json: unknown parameter '\\u200BW\\u0007': model Xor has W, b", param);
    for (String m : new String[] {esc, top, longKey, string, param}) {
      assertNoRawControls(m);
    }
  }

  @Test
  void csvFieldsAndColumnNamesInMessagesAreEscapedAndShortened() {
    String esc = csv("x[0],x[1],y[0]\n1,\u001B[31m2,3\n");
    assertEquals("D.csv:2:2: not a number: '\\u001B[31m2' in column 'x[1]'", esc);
    String zw = csv("x[0],x[1]\u200B,y[0]\n1,2,3\n");
    assertEquals("D.csv:1:4: missing column 'x[1]' for input x[2]; column 2 is 'x[1]\\u200B', with"
        + " invisible characters; the file has x[0], x[1]\\u200B, y[0]; expected x[0], x[1], y[0]", zw);
    String extra = csv("x[0],x[1],y[0],\u202Eevil\u0085\n1,2,3,4\n");
    assertEquals("D.csv:1:4: unexpected column '\\u202Eevil\\u0085': model Xor has no such input or"
        + " target (--ignore-extra skips it)", extra);
    String dup = csv("x[0],x[1],y[0],\u001B]0;title\u0007,\u001B]0;title\u0007\n");
    assertEquals("D.csv:1:5: duplicate column '\\u001B]0;title\\u0007' (also column 4)", dup);
    String huge = csv("x[0],x[1],y[0]\n1,2," + "9".repeat(1 << 20) + "x\n");
    assertEquals("D.csv:2:3: not a number: '" + "9".repeat(60) + "…' in column 'y[0]'", huge);
    String bom = csv("x[0],x[1],y[0]\n1,\uFEFF2,3\n");
    assertEquals("D.csv:2:2: not a number: '\\uFEFF2' in column 'x[1]'", bom);
    for (String m : new String[] {esc, zw, extra, dup, huge, bom}) {
      assertNoRawControls(m);
    }
  }

  private static void assertNoRawControls(String message) {
    message.codePoints().forEach(cp -> assertFalse(Character.isISOControl(cp)
        || Character.getType(cp) == Character.FORMAT, () -> "raw U+" + Integer.toHexString(cp) + " in " + message));
  }
}
