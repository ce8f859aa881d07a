package org.gradc.train;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Arrays;
import org.gradc.ir.Numbers;

/**
 * One tensor in JSON, as every file of SPEC §2.1 writes it: a scalar is a number, a vector an
 * array, a matrix an array of row arrays. Read with messages that name the field
 * ({@code params.W1[1]: expected shape [2, 4], but row 1 has 3 values}); written with the
 * shortest round-trip text of each number.
 */
final class TensorJson {
  private TensorJson() {}

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
    if (shape.length == 0) {
      number(g, v[offset]);
      return;
    }
    int cols = shape.length == 1 ? shape[0] : shape[1];
    g.writeStartArray();
    for (int r = 0; r < (shape.length == 1 ? 1 : shape[0]); r++) {
      if (shape.length == 2) {
        g.writeStartArray();
      }
      for (int c = 0; c < cols; c++) {
        number(g, v[offset + r * cols + c]);
      }
      if (shape.length == 2) {
        g.writeEndArray();
      }
    }
    g.writeEndArray();
  }

  /** JSON has no NaN or infinities: those are written as null. */
  static void number(JsonGenerator g, double x) throws IOException {
    if (Double.isFinite(x)) {
      g.writeNumber(Numbers.shortest(x));
    } else {
      g.writeNull();
    }
  }

  static DataException error(String file, String field, String message) {
    return new DataException(file, (field.isEmpty() ? "" : field + ": ") + message);
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
      return "the string \"" + v.asText() + "\"";
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
