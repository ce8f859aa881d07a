package org.gradc.train;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradc.diag.UserText;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.TensorSpec;

/**
 * Examples in a model's flat exchange format: {@code inputs} is examples × inputWidth and
 * {@code targets} examples × targetWidth, row-major, tensors in the model's declaration order.
 *
 * <p>CSV files (README, "Data files"): a header row names the columns — a scalar {@code x} is {@code x},
 * element i of a vector is {@code x[i]}, element (i, j) of a matrix is {@code x[i][j]}, element
 * (c, i, j) of an image is {@code x[c][i][j]}. Columns may come in any order. Blank lines are skipped; fields may be surrounded by spaces or double quotes;
 * numbers are decimal ({@code 3}, {@code -0.5}, {@code 1e-3}, {@code .5}). Every problem is a
 * {@link DataException} naming the file, line and column (the field's 1-based position).
 *
 * <p>The record holds its arrays as given, not copies (a data set can be large):
 * {@link #inputs()} and {@link #targets()} return them, and a change to them shows in the data
 * set. {@code equals} compares their contents; {@code toString} gives sizes, not values.
 *
 * @param source where the data came from (the file name as given)
 * @param examples the number of examples (rows), at least 1 when read from CSV
 * @param inputs the inputs, {@code examples × inputWidth} values row-major
 * @param targets the targets, {@code examples × targetWidth} values row-major; empty when
 *     {@code hasTargets} is false
 * @param hasTargets whether target columns were read (false when only predicting from inputs)
 * @param classes for each target read from a label column ({@link ColumnMap#withLabel}), its
 *     class names in class-index order
 */
public record DataSet(String source, int examples, double[] inputs, double[] targets, boolean hasTargets,
    Map<String, List<String>> classes) {
  /**
   * Copies {@code classes} (not the arrays).
   *
   * @param source where the data came from
   * @param examples the number of examples
   * @param inputs the inputs, row-major
   * @param targets the targets, row-major
   * @param hasTargets whether target columns were read
   * @param classes the class names of each target read from a label column
   */
  public DataSet {
    classes = Map.copyOf(classes);
  }

  /**
   * A data set without label columns.
   *
   * @param source where the data came from
   * @param examples the number of examples
   * @param inputs the inputs, row-major
   * @param targets the targets, row-major
   * @param hasTargets whether target columns were read
   */
  public DataSet(String source, int examples, double[] inputs, double[] targets, boolean hasTargets) {
    this(source, examples, inputs, targets, hasTargets, Map.of());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataSet d && d.source.equals(source) && d.examples == examples
        && d.hasTargets == hasTargets && java.util.Arrays.equals(d.inputs, inputs)
        && java.util.Arrays.equals(d.targets, targets) && d.classes.equals(classes);
  }

  @Override
  public int hashCode() {
    return (source.hashCode() * 31 + examples) * 31 + java.util.Arrays.hashCode(inputs);
  }

  /** e.g. {@code DataSet[xor.csv: 4 examples, 8 input values, 4 target values]}. */
  @Override
  public String toString() {
    return "DataSet[" + source + ": " + examples + " examples, " + inputs.length + " input values, "
        + (hasTargets ? targets.length + " target values" : "no targets") + "]";
  }

  /** Whether target columns must be present. */
  public enum Targets {
    /** Training: every target column is required. */
    REQUIRED,
    /**
     * Predicting: target columns are read when all are present, ignored when all are absent
     * (some but not all is an error).
     */
    OPTIONAL
  }

  /**
   * The CSV column names of a list of tensors, in flat order: the header a file for
   * {@code model.inputs()} (or its targets) has when its columns are in the model's order.
   *
   * @param specs the tensors, e.g. {@link CompiledModel#inputs()}
   * @return one name per scalar, e.g. {@code x[0], x[1], y} (a new, mutable list)
   */
  public static List<String> columns(List<TensorSpec> specs) {
    List<String> names = new ArrayList<>();
    for (TensorSpec s : specs) {
      names.addAll(columns(s));
    }
    return names;
  }

  /**
   * The CSV column names of one tensor, in row-major order: {@code x} for a scalar,
   * {@code x[i]} for a vector, {@code x[i][j]} for a matrix, {@code x[c][i][j]} for an image.
   *
   * @param s the tensor
   * @return one name per scalar (a new, mutable list)
   */
  public static List<String> columns(TensorSpec s) {
    int[] shape = s.shape();
    List<String> names = new ArrayList<>();
    if (shape.length == 0) {
      names.add(s.name());
    } else if (shape.length == 1) {
      for (int i = 0; i < shape[0]; i++) {
        names.add(s.name() + "[" + i + "]");
      }
    } else {
      // row-major: the last index runs fastest, x[0][0][0], x[0][0][1], …
      for (int flat = 0; flat < s.size(); flat++) {
        StringBuilder name = new StringBuilder();
        for (int d = shape.length - 1, rest = flat; d >= 0; rest /= shape[d], d--) {
          name.insert(0, "[" + rest % shape[d] + "]");
        }
        names.add(s.name() + name);
      }
    }
    return names;
  }

  /**
   * Reads a CSV file for {@code model}, streaming: one line at a time, numbers parsed straight
   * into the result arrays, so reading takes about the memory of the arrays it returns. The file
   * is UTF-8; a leading byte-order mark is skipped.
   *
   * @param path the CSV file; its string form names it in messages and in {@link #source()}
   * @param model the model whose inputs and targets name the columns
   * @param targets whether the target columns are required or may be absent
   * @param ignoreExtra skip columns that are no input or target instead of failing
   * @return the examples, in file order
   * @throws DataException when the file cannot be read, is not UTF-8, has no header or no data
   *     rows, lacks a column or has an unexpected one, or a field is not a finite number or a
   *     row has the wrong number of fields
   */
  public static DataSet readCsv(Path path, CompiledModel model, Targets targets, boolean ignoreExtra)
      throws DataException {
    return readCsv(path, model, targets, ColumnMap.DEFAULT, ignoreExtra);
  }

  /**
   * Reads a CSV file whose columns {@code columns} maps to the model's inputs and targets (see
   * {@link #readCsv(Path, CompiledModel, Targets, boolean)}).
   *
   * @param path the CSV file; its string form names it in messages and in {@link #source()}
   * @param model the model whose inputs and targets the columns feed
   * @param targets whether the target columns are required or may be absent
   * @param columns which columns feed which tensor, and the label columns
   * @param ignoreExtra skip columns that are no input or target instead of failing
   * @return the examples, in file order, with the classes of label columns
   * @throws DataException as the other {@code readCsv}, and when {@code columns} names a
   *     tensor the model lacks, or a label column's classes do not fit its target
   */
  public static DataSet readCsv(Path path, CompiledModel model, Targets targets, ColumnMap columns,
      boolean ignoreExtra) throws DataException {
    String name = path.toString();
    try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      return read(name, in, model, targets, columns, ignoreExtra);
    } catch (NoSuchFileException e) {
      throw new DataException(name, "cannot read: no such file");
    } catch (CharacterCodingException e) {
      throw new DataException(name, "cannot read: not UTF-8 text");
    } catch (IOException e) {
      throw new DataException(name, "cannot read: " + e.getMessage());
    }
  }

  /**
   * Parses CSV text (see {@link #readCsv}).
   *
   * @param name the name used in messages and as {@link #source()}
   * @param text the whole CSV text
   * @param model the model whose inputs and targets name the columns
   * @param targets whether the target columns are required or may be absent
   * @param ignoreExtra skip columns that are no input or target instead of failing
   * @return the examples, in text order
   * @throws DataException for any problem in the text, located by line and column
   */
  public static DataSet parseCsv(String name, String text, CompiledModel model, Targets targets,
      boolean ignoreExtra) throws DataException {
    return parseCsv(name, text, model, targets, ColumnMap.DEFAULT, ignoreExtra);
  }

  /**
   * Parses CSV text whose columns {@code columns} maps (see {@link #readCsv(Path, CompiledModel,
   * Targets, ColumnMap, boolean)}).
   *
   * @param name the name used in messages and as {@link #source()}
   * @param text the whole CSV text
   * @param model the model whose inputs and targets the columns feed
   * @param targets whether the target columns are required or may be absent
   * @param columns which columns feed which tensor, and the label columns
   * @param ignoreExtra skip columns that are no input or target instead of failing
   * @return the examples, in text order, with the classes of label columns
   * @throws DataException for any problem in the text, located by line and column
   */
  public static DataSet parseCsv(String name, String text, CompiledModel model, Targets targets,
      ColumnMap columns, boolean ignoreExtra) throws DataException {
    try {
      return read(name, new BufferedReader(new StringReader(text)), model, targets, columns,
          ignoreExtra);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static DataSet read(String name, BufferedReader reader, CompiledModel model,
      Targets targets, ColumnMap columns, boolean ignoreExtra) throws IOException, DataException {
    int lineNo = 0;
    String first;
    do {
      first = reader.readLine();
      lineNo++;
      if (first != null && lineNo == 1 && first.startsWith("\uFEFF")) {
        first = first.substring(1);
      }
    } while (first != null && first.isBlank());
    if (first == null) {
      throw new DataException(name, 1, 1, "empty file: expected a header row naming the columns");
    }
    int headerLine = lineNo;
    List<String> header = split(name, first, headerLine);

    Map<String, Integer> position = new LinkedHashMap<>();
    for (int c = 0; c < header.size(); c++) {
      String h = header.get(c);
      if (h.isEmpty()) {
        throw new DataException(name, headerLine, c + 1, "empty column name in the header");
      }
      Integer before = position.putIfAbsent(h, c);
      if (before != null) {
        throw new DataException(name, headerLine, c + 1,
            "duplicate column '" + UserText.quote(h) + "' (also column " + (before + 1) + ")");
      }
    }
    CsvLayout layout = CsvLayout.of(name, headerLine, header, model, columns, targets, ignoreExtra);
    boolean readTargets = layout.readTargets;

    int inW = model.inputWidth();
    int tgW = readTargets ? model.targetWidth() : 0;
    Rows rows = new Rows(name, header, layout, inW, tgW);
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      lineNo++;
      if (!line.isBlank()) {
        rows.add(line, lineNo);
      }
    }
    if (rows.count == 0) {
      throw new DataException(name, headerLine, 1, "no data rows after the header");
    }
    double[] y = rows.targets.toArray();
    Map<String, List<String>> classes = readTargets ? layout.finish(y, rows.count, tgW) : Map.of();
    return new DataSet(name, rows.count, rows.inputs.toArray(), y, readTargets, classes);
  }

  /** Data rows parsed one at a time into growing input and target arrays. */
  private static final class Rows {
    private final String file;
    private final List<String> header;
    private final int[] dest;
    private final boolean[] skip;
    private final CsvLayout.Labels[] labels;
    private final int inW;
    private final int tgW;
    private final double[] values;
    private final double[] inRow;
    private final double[] tgRow;
    private final StringBuilder field = new StringBuilder();
    private final FieldSink sink = this::field;
    final Doubles inputs = new Doubles();
    final Doubles targets = new Doubles();
    int count;
    // the first bad field of the current row, reported once the row is known not to be ragged
    private int badColumn;
    private String badDetail;
    private int lineNo;

    Rows(String file, List<String> header, CsvLayout layout, int inW, int tgW) {
      this.file = file;
      this.header = header;
      this.dest = layout.dest;
      this.skip = layout.skip;
      this.labels = layout.labels;
      this.inW = inW;
      this.tgW = tgW;
      this.values = new double[header.size()];
      this.inRow = new double[inW];
      this.tgRow = new double[tgW];
    }

    /** Parses one non-blank line (fields as {@link DataSet#split} reads them) and appends it. */
    void add(String line, int lineNo) throws DataException {
      badDetail = null;
      this.lineNo = lineNo;
      int fields = DataSet.fields(file, line, lineNo, field, sink);
      if (fields != header.size()) {
        int col = Math.min(fields, header.size()) + 1;
        throw new DataException(file, lineNo, col, "ragged row: " + fields
            + (fields == 1 ? " field" : " fields") + ", but the header has " + header.size());
      }
      if (badDetail != null) {
        throw new DataException(file, lineNo, badColumn + 1, badDetail);
      }
      if ((long) (count + 1) * Math.max(inW, tgW) > MAX_VALUES) {
        throw new DataException(file, lineNo, 1, "too many rows: " + (count + 1) + " rows of "
            + Math.max(inW, tgW) + " values exceed the largest array (" + MAX_VALUES + " values)");
      }
      for (int c = 0; c < dest.length; c++) {
        if (skip[c] || labels[c] != null) {
          continue;
        }
        if (dest[c] >= 0) {
          inRow[dest[c]] = values[c];
        } else {
          tgRow[-1 - dest[c]] = values[c];
        }
      }
      inputs.add(inRow);
      targets.add(tgRow);
      count++;
    }

    /** The field just read, at 0-based position {@code c}: parsed into {@code values[c]}. */
    private void field(int c, StringBuilder text, boolean wasQuoted) throws DataException {
      if (c >= header.size() || skip[c] || badDetail != null) {
        return;
      }
      if (labels[c] != null) {
        // a ragged row is the error to report first, so a bad label waits like a bad number
        try {
          labels[c].add(wasQuoted ? text : text.toString().strip(), lineNo);
        } catch (DataException e) {
          badColumn = c;
          badDetail = e.detail();
        }
        return;
      }
      int from = 0;
      int to = field.length();
      if (!wasQuoted) {
        while (from < to && Character.isWhitespace(field.charAt(from))) {
          from++;
        }
        while (to > from && Character.isWhitespace(field.charAt(to - 1))) {
          to--;
        }
      }
      double v = parseNumber(field, from, to);
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        badColumn = c;
        badDetail = (Double.isNaN(v) ? "not a number: '" : "number out of range: '")
            + UserText.quote(field.subSequence(from, to)) + "' in column '" + UserText.quote(header.get(c)) + "'"
            + (dest[c] < 0 && looksLikeLabel(field, from, to) ? " (class labels are read with --labels)" : "");
        return;
      }
      values[c] = v;
    }
  }

  /** A word such as {@code setosa}, not a spelling of NaN or infinity: a class name in a target. */
  private static boolean looksLikeLabel(CharSequence s, int from, int to) {
    String t = s.subSequence(from, to).toString();
    return !t.isEmpty() && Character.isLetter(t.charAt(0)) && !t.matches("(?i)nan|inf|infinity");
  }

  /** The most elements a Java array can hold (a little under 2^31). */
  static final int MAX_VALUES = Integer.MAX_VALUE - 8;

  /** A growing sequence of doubles, kept in chunks so that growing never copies. */
  private static final class Doubles {
    private final List<double[]> chunks = new ArrayList<>();
    private double[] last = new double[256];
    private int used;
    private long full;

    void add(double[] row) {
      int from = 0;
      while (from < row.length) {
        if (used == last.length) {
          chunks.add(last);
          full += used;
          last = new double[Math.min(last.length * 2, 1 << 20)];
          used = 0;
        }
        int n = Math.min(row.length - from, last.length - used);
        System.arraycopy(row, from, last, used, n);
        used += n;
        from += n;
      }
    }

    /** One array of everything added; the chunks are let go as they are copied. */
    double[] toArray() {
      double[] out = new double[Math.toIntExact(full + used)];
      int at = 0;
      for (int i = 0; i < chunks.size(); i++) {
        double[] c = chunks.set(i, null);
        System.arraycopy(c, 0, out, at, c.length);
        at += c.length;
      }
      System.arraycopy(last, 0, out, at, used);
      last = null;
      return out;
    }
  }

  private static final double[] POWERS_OF_TEN = {
      1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

  /**
   * The decimal number {@code s[from, to)} ({@code [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?}),
   * exactly as {@link Double#parseDouble} reads it; NaN when it is not such a number. Numbers of
   * up to 15 or so significant digits with a small exponent are computed without building a
   * string (one exact multiplication or division, so correctly rounded); the rest go through
   * {@code parseDouble}.
   */
  static double parseNumber(CharSequence s, int from, int to) {
    int i = from;
    boolean negative = false;
    if (i < to && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    long mantissa = 0;
    int digits = 0;
    int exponent = 0;
    boolean exact = true;
    boolean any = false;
    boolean point = false;
    for (; i < to; i++) {
      char ch = s.charAt(i);
      if (ch == '.' && !point) {
        point = true;
        continue;
      }
      if (!isDigit(ch)) {
        break;
      }
      any = true;
      int d = ch - '0';
      if (digits < 18) {
        mantissa = mantissa * 10 + d;
        digits += mantissa == 0 ? 0 : 1;
        exponent -= point ? 1 : 0;
      } else if (!point || d != 0) {
        // a dropped integer digit, or a nonzero dropped fraction digit: parseDouble decides
        exact = false;
      }
    }
    if (!any) {
      return Double.NaN;
    }
    if (i < to && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      boolean negativeExponent = false;
      if (i < to && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        negativeExponent = s.charAt(i) == '-';
        i++;
      }
      if (i == to || !isDigit(s.charAt(i))) {
        return Double.NaN;
      }
      int e = 0;
      for (; i < to && isDigit(s.charAt(i)); i++) {
        e = Math.min(e * 10 + (s.charAt(i) - '0'), 100_000);
      }
      exponent += negativeExponent ? -e : e;
    }
    if (i != to) {
      return Double.NaN;
    }
    if (exact && mantissa < (1L << 53) && exponent >= -22 && exponent <= 22) {
      double v = mantissa == 0 ? 0
          : exponent >= 0 ? mantissa * POWERS_OF_TEN[exponent] : mantissa / POWERS_OF_TEN[-exponent];
      return negative ? -v : v;
    }
    return Double.parseDouble(s.subSequence(from, to).toString());
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Splits one CSV line; fields are trimmed; double quotes group and {@code ""} escapes one. */
  static List<String> split(String file, String line, int lineNo) throws DataException {
    List<String> out = new ArrayList<>();
    fields(file, line, lineNo, new StringBuilder(),
        (index, text, quoted) -> out.add(quoted ? text.toString() : text.toString().strip()));
    return out;
  }

  private static boolean isBlank(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isWhitespace(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Receives each field of a line: its 0-based index, its text (reused), whether it was quoted. */
  private interface FieldSink {
    void field(int index, StringBuilder text, boolean quoted) throws DataException;
  }

  /**
   * The one CSV tokenizer: hands each field of {@code line} to {@code sink} in {@code buf}
   * (unquoted fields untrimmed, quoted ones without their quotes, {@code ""} as one quote) and
   * returns the number of fields.
   */
  private static int fields(String file, String line, int lineNo, StringBuilder buf,
      FieldSink sink) throws DataException {
    buf.setLength(0);
    int fields = 0;
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            buf.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          buf.append(ch);
        }
      } else if (ch == '"' && isBlank(buf)) {
        quoted = true;
        wasQuoted = true;
        buf.setLength(0);
      } else if (ch == ',') {
        sink.field(fields++, buf, wasQuoted);
        buf.setLength(0);
        wasQuoted = false;
      } else if (!(wasQuoted && Character.isWhitespace(ch))) {
        buf.append(ch);
      }
    }
    if (quoted) {
      throw new DataException(file, lineNo, fields + 1, "unterminated quoted field");
    }
    sink.field(fields++, buf, wasQuoted);
    return fields;
  }
}
