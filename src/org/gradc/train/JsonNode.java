package org.gradc.train;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A parsed JSON value, as the values, parameter and checkpoint readers walk it. {@link TensorJson}
 * builds it with jackson-core's streaming parser: a data-binding tree would load hundreds of
 * classes more at every start of a short command. A member or element that is not there is null.
 */
sealed interface JsonNode extends Iterable<JsonNode> {
  /** A number; {@code whole} is its value when the text is an integer that fits a long, else null. */
  record Num(String text, double value, Long whole) implements JsonNode {
    @Override
    public boolean isNumber() {
      return true;
    }

    @Override
    public double asDouble() {
      return value;
    }

    @Override
    public boolean isIntegralNumber() {
      return whole != null;
    }

    @Override
    public boolean canConvertToLong() {
      return whole != null || (value >= Long.MIN_VALUE && value <= Long.MAX_VALUE);
    }

    @Override
    public long asLong() {
      return whole != null ? whole : (long) value;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** A string. */
  record Str(String value) implements JsonNode {
    @Override
    public boolean isTextual() {
      return true;
    }

    @Override
    public String asText() {
      return value;
    }
  }

  /** {@code true}, {@code false} or {@code null}, as written. */
  record Literal(String text) implements JsonNode {
    @Override
    public boolean isNull() {
      return text.equals("null");
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** An array. */
  record Arr(List<JsonNode> items) implements JsonNode {
    @Override
    public boolean isArray() {
      return true;
    }

    @Override
    public JsonNode get(int i) {
      return i >= 0 && i < items.size() ? items.get(i) : null;
    }

    @Override
    public int size() {
      return items.size();
    }

    @Override
    public Iterator<JsonNode> iterator() {
      return items.iterator();
    }
  }

  /** An object, its members in the file's order. */
  record Obj(Map<String, JsonNode> members) implements JsonNode {
    @Override
    public boolean isObject() {
      return true;
    }

    @Override
    public JsonNode get(String name) {
      return members.get(name);
    }

    @Override
    public int size() {
      return members.size();
    }

    @Override
    public Iterator<Map.Entry<String, JsonNode>> fields() {
      return members.entrySet().iterator();
    }
  }

  default boolean isNumber() {
    return false;
  }

  default boolean isIntegralNumber() {
    return false;
  }

  default boolean isTextual() {
    return false;
  }

  default boolean isNull() {
    return false;
  }

  default boolean isArray() {
    return false;
  }

  default boolean isObject() {
    return false;
  }

  /** The number's value; 0 for anything else (callers check {@link #isNumber} first). */
  default double asDouble() {
    return 0;
  }

  default boolean canConvertToLong() {
    return false;
  }

  default long asLong() {
    return 0;
  }

  /** The string's text; for anything else its JSON text (callers check {@link #isTextual}). */
  default String asText() {
    return toString();
  }

  /** The element at {@code i} of an array. */
  default JsonNode get(int i) {
    return null;
  }

  /** The member {@code name} of an object. */
  default JsonNode get(String name) {
    return null;
  }

  default boolean has(String name) {
    return get(name) != null;
  }

  /** The number of elements or members; 0 for a scalar. */
  default int size() {
    return 0;
  }

  default boolean isEmpty() {
    return size() == 0;
  }

  /** An object's members in order; none for anything else. */
  default Iterator<Map.Entry<String, JsonNode>> fields() {
    return Collections.emptyIterator();
  }

  default Iterator<String> fieldNames() {
    Iterator<Map.Entry<String, JsonNode>> it = fields();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public String next() {
        return it.next().getKey();
      }
    };
  }

  /** An array's elements; none for anything else. */
  @Override
  default Iterator<JsonNode> iterator() {
    return Collections.emptyIterator();
  }
}
