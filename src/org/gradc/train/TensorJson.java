package org.gradc.train;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradc.diag.UserText;
import org.gradc.ir.Numbers;

/**
 * One tensor in JSON, as every values and parameter file writes it: a scalar is a number, a vector an
 * array, a matrix an array of row arrays. Read with messages that name the field
 * ({@code params.W1[1]: expected shape [2, 4], but row 1 has 3 values}); written with the
 * shortest round-trip text of each number.
 */
final class TensorJson {
  /**
   * Strict JSON: a key given twice in one object is an error rather than silently resolved (and
   * {@link #parse} refuses anything but white space after the document).
   */
  static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  /**
   * A generator writing indented JSON with {@code \n} line ends on every platform, as all of
   * gradc's JSON files are written.
   */
  static JsonGenerator prettyGenerator(java.io.Writer out) throws IOException {
    return FACTORY.createGenerator(out).setPrettyPrinter(new DefaultPrettyPrinter()
        .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n")));
  }

  private TensorJson() {}

  /** Reads and parses the JSON file {@code path}; problems name the file, line and column. */
  static JsonNode read(Path path) throws DataException {
    String file = path.toString();
    String text;
    try {
      text = Files.readString(path);
    } catch (NoSuchFileException e) {
      throw new DataException(file, "cannot read: no such file");
    } catch (MalformedInputException e) {
      throw new DataException(file, "cannot read: not UTF-8 text");
    } catch (IOException e) {
      throw new DataException(file, "cannot read: " + e.getMessage());
    }
    return parse(file, text);
  }

  /** Parses JSON text; {@code file} is used in messages. Null for a document with no value. */
  static JsonNode parse(String file, String text) throws DataException {
    try (JsonParser p = FACTORY.createParser(text)) {
      if (p.nextToken() == null) {
        return null;
      }
      JsonNode root = value(p);
      if (p.nextToken() != null) {
        JsonLocation at = p.currentTokenLocation();
        throw new DataException(file, Math.max(0, at.getLineNr()), Math.max(0, at.getColumnNr()),
            "invalid JSON: unexpected text after the JSON value (a file holds one document)");
      }
      return root;
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      int line = at == null ? 0 : Math.max(0, at.getLineNr());
      int column = at == null ? 0 : Math.max(0, at.getColumnNr());
      String why;
      String original = String.valueOf(e.getOriginalMessage());
      if (original.startsWith("Duplicate") && e.getProcessor() instanceof JsonParser p
          && currentName(p) != null) {
        why = "duplicate key \"" + UserText.quote(currentName(p)) + "\"";
      } else {
        // Jackson's own words, without its location (given as LINE:COL) or the start of the object
        why = UserText.quote(original
            .replaceAll("(?s)\\s*\\((for .*? starting|start marker) at.*", "")
            .replaceAll("(?s)\\s*at \\[Source.*", "")
            .replaceAll(", from `[^`]*`", ""), 3 * UserText.MAX);
      }
      throw new DataException(file, line, column, "invalid JSON: " + why);
    } catch (IOException e) {
      throw new DataException(file, "cannot read: " + e.getMessage());
    }
  }

  /** The value whose first token {@code p} is at; {@code p} is left at its last token. */
  private static JsonNode value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, JsonNode> members = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          members.put(name, value(p));
        }
        return new JsonNode.Obj(Collections.unmodifiableMap(members));
      }
      case START_ARRAY -> {
        List<JsonNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(value(p));
        }
        return new JsonNode.Arr(Collections.unmodifiableList(items));
      }
      case VALUE_NUMBER_INT -> {
        boolean fits = p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
        return new JsonNode.Num(p.getText(), p.getDoubleValue(), fits ? p.getLongValue() : null);
      }
      case VALUE_NUMBER_FLOAT -> {
        return new JsonNode.Num(p.getText(), p.getDoubleValue(), null);
      }
      case VALUE_STRING -> {
        return new JsonNode.Str(p.getText());
      }
      default -> {
        // true, false, null (the parser reports any other token as an error before this)
        return new JsonNode.Literal(p.getText());
      }
    }
  }

  private static String currentName(JsonParser p) {
    try {
      return p.currentName();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The values of {@code v}, which must have exactly {@code shape}, row-major. */
  static double[] read(String file, String field, JsonNode v, int[] shape) throws DataException {
    String want = "expected " + describe(shape);
    if (shape.length == 0) {
      if (v.isArray() && v.size() == 1 && v.get(0).isNumber()) {
        return new double[] {v.get(0).asDouble()};
      }
      return new double[] {number(file, field, v, want)};
    }
    if (!v.isArray()) {
      throw error(file, field, want + ", but got " + kind(v));
    }
    if (v.size() != shape[0]) {
      throw error(file, field, want + ", but got " + v.size() + (shape.length == 1 ? " values" : " rows"));
    }
    if (shape.length > 2) {
      // an image or filters: an array of the tensors one rank lower
      int[] tail = Arrays.copyOfRange(shape, 1, shape.length);
      int inner = Arrays.stream(tail).reduce(1, (a, b) -> a * b);
      double[] out = new double[shape[0] * inner];
      for (int i = 0; i < shape[0]; i++) {
        System.arraycopy(read(file, field + "[" + i + "]", v.get(i), tail), 0, out, i * inner, inner);
      }
      return out;
    }
    if (shape.length == 1) {
      double[] out = new double[shape[0]];
      for (int i = 0; i < shape[0]; i++) {
        out[i] = number(file, field + "[" + i + "]", v.get(i), want);
      }
      return out;
    }
    double[] out = new double[shape[0] * shape[1]];
    for (int r = 0; r < shape[0]; r++) {
      JsonNode row = v.get(r);
      if (!row.isArray() || row.size() != shape[1]) {
        throw error(file, field + "[" + r + "]", want + ", but row " + r + " has "
            + (row.isArray() ? row.size() + " values" : kind(row)));
      }
      for (int c = 0; c < shape[1]; c++) {
        out[r * shape[1] + c] = number(file, field + "[" + r + "][" + c + "]", row.get(c), want);
      }
    }
    return out;
  }

  /** Writes {@code shape}'s worth of {@code v} from {@code offset}; NaN and infinities as null. */
  static void write(JsonGenerator g, double[] v, int offset, int[] shape) throws IOException {
    write(g, v, offset, shape, false);
  }

  /**
   * Writes {@code shape}'s worth of {@code v} from {@code offset}; with {@code floats}, each
   * number (a float32 value) in the shortest form that reads back as the same float.
   */
  static void write(JsonGenerator g, double[] v, int offset, int[] shape, boolean floats)
      throws IOException {
    if (shape.length == 0) {
      number(g, v[offset], floats);
      return;
    }
    if (shape.length > 2) {
      int[] tail = Arrays.copyOfRange(shape, 1, shape.length);
      int inner = Arrays.stream(tail).reduce(1, (a, b) -> a * b);
      g.writeStartArray();
      for (int i = 0; i < shape[0]; i++) {
        write(g, v, offset + i * inner, tail, floats);
      }
      g.writeEndArray();
      return;
    }
    int cols = shape.length == 1 ? shape[0] : shape[1];
    g.writeStartArray();
    for (int r = 0; r < (shape.length == 1 ? 1 : shape[0]); r++) {
      if (shape.length == 2) {
        g.writeStartArray();
      }
      for (int c = 0; c < cols; c++) {
        number(g, v[offset + r * cols + c], floats);
      }
      if (shape.length == 2) {
        g.writeEndArray();
      }
    }
    g.writeEndArray();
  }

  /** JSON has no NaN or infinities: those are written as null. */
  static void number(JsonGenerator g, double x) throws IOException {
    number(g, x, false);
  }

  private static void number(JsonGenerator g, double x, boolean floats) throws IOException {
    if (!Double.isFinite(x)) {
      g.writeNull();
    } else if (floats && (float) x == x) {
      g.writeNumber(Float.toString((float) x));
    } else {
      g.writeNumber(Numbers.shortest(x));
    }
  }

  static DataException error(String file, String field, String message) {
    return new DataException(file, (field.isEmpty() ? "" : UserText.escape(field) + ": ") + message);
  }

  private static double number(String file, String field, JsonNode v, String want) throws DataException {
    if (!v.isNumber()) {
      throw error(file, field, (want.startsWith("expected a number") ? want : "expected a number")
          + ", but got " + kind(v));
    }
    return v.asDouble();
  }

  private static String describe(int[] shape) {
    return shape.length == 0 ? "a number (a scalar)" : "shape " + Arrays.toString(shape);
  }

  private static String kind(JsonNode v) {
    if (v.isTextual()) {
      return "the string \"" + UserText.quote(v.asText()) + "\"";
    } else if (v.isArray()) {
      return "an array of " + v.size();
    } else if (v.isObject()) {
      return "an object";
    } else if (v.isNull()) {
      return "null";
    }
    return v.toString();
  }
}
