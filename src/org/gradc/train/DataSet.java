package org.gradc.train;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.TensorSpec;

/**
 * Examples in a model's flat exchange format: {@code inputs} is examples × inputWidth and
 * {@code targets} examples × targetWidth, row-major, tensors in the model's declaration order.
 *
 * <p>CSV files (SPEC §2.2): a header row names the columns — a scalar {@code x} is {@code x},
 * element i of a vector is {@code x[i]}, element (i, j) of a matrix is {@code x[i][j]}. Columns may
 * come in any order. Blank lines are skipped; fields may be surrounded by spaces or double quotes;
 * numbers are decimal ({@code 3}, {@code -0.5}, {@code 1e-3}, {@code .5}). Every problem is a
 * {@link DataException} naming the file, line and column (the field's 1-based position).
 *
 * @param source where the data came from (the file name as given)
 * @param hasTargets whether target columns were read (false when only predicting from inputs)
 */
public record DataSet(String source, int examples, double[] inputs, double[] targets, boolean hasTargets) {
  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  /** Whether target columns must be present. */
  public enum Targets {
    /** Training: every target column is required. */
    REQUIRED,
    /** Predicting: target columns are read when all are present, ignored when all are absent. */
    OPTIONAL
  }

  /** The CSV column names of a list of tensors, in flat order. */
  public static List<String> columns(List<TensorSpec> specs) {
    List<String> names = new ArrayList<>();
    for (TensorSpec s : specs) {
      names.addAll(columns(s));
    }
    return names;
  }

  /** The CSV column names of one tensor, in row-major order. */
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
      int cols = s.size() / shape[0];
      for (int i = 0; i < shape[0]; i++) {
        for (int j = 0; j < cols; j++) {
          names.add(s.name() + "[" + i + "][" + j + "]");
        }
      }
    }
    return names;
  }

  /**
   * Reads a CSV file for {@code model}.
   *
   * @param ignoreExtra skip columns that are no input or target instead of failing
   */
  public static DataSet readCsv(Path path, CompiledModel model, Targets targets, boolean ignoreExtra)
      throws DataException {
    String name = path.toString();
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new DataException(name, "cannot read: no such file");
    } catch (MalformedInputException e) {
      throw new DataException(name, "cannot read: not UTF-8 text");
    } catch (IOException e) {
      throw new DataException(name, "cannot read: " + e.getMessage());
    }
    return parseCsv(name, text, model, targets, ignoreExtra);
  }

  /** Parses CSV text (see {@link #readCsv}); {@code name} is used in messages. */
  public static DataSet parseCsv(String name, String text, CompiledModel model, Targets targets,
      boolean ignoreExtra) throws DataException {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String[] lines = text.split("\r\n|\n|\r", -1);
    int headerLine = 0;
    while (headerLine < lines.length && lines[headerLine].isBlank()) {
      headerLine++;
    }
    if (headerLine == lines.length) {
      throw new DataException(name, 1, 1, "empty file: expected a header row naming the columns");
    }
    List<String> header = split(name, lines[headerLine], headerLine + 1);

    List<String> inputCols = columns(model.inputs());
    List<String> targetCols = columns(model.targets());
    Map<String, Integer> position = new LinkedHashMap<>();
    for (int c = 0; c < header.size(); c++) {
      String h = header.get(c);
      if (h.isEmpty()) {
        throw new DataException(name, headerLine + 1, c + 1, "empty column name in the header");
      }
      Integer before = position.putIfAbsent(h, c);
      if (before != null) {
        throw new DataException(name, headerLine + 1, c + 1,
            "duplicate column '" + h + "' (also column " + (before + 1) + ")");
      }
    }
    boolean anyTarget = targetCols.stream().anyMatch(position::containsKey);
    boolean readTargets = targets == Targets.REQUIRED || anyTarget;
    for (String col : inputCols) {
      if (!position.containsKey(col)) {
        throw missing(name, headerLine + 1, header.size(), col, model.inputs(), "input");
      }
    }
    if (readTargets) {
      for (String col : targetCols) {
        if (!position.containsKey(col)) {
          throw missing(name, headerLine + 1, header.size(), col, model.targets(), "target");
        }
      }
    }
    // where each column goes: index into inputs (>= 0), targets (encoded as -1 - i), or skipped
    Map<String, Integer> inputIndex = index(inputCols);
    Map<String, Integer> targetIndex = index(targetCols);
    int[] dest = new int[header.size()];
    boolean[] skip = new boolean[header.size()];
    for (int c = 0; c < header.size(); c++) {
      String h = header.get(c);
      if (inputIndex.containsKey(h)) {
        dest[c] = inputIndex.get(h);
      } else if (readTargets && targetIndex.containsKey(h)) {
        dest[c] = -1 - targetIndex.get(h);
      } else if (ignoreExtra) {
        skip[c] = true;
      } else {
        throw new DataException(name, headerLine + 1, c + 1, "unexpected column '" + h
            + "': model " + model.name() + " has no such input or target (--ignore-extra skips it)");
      }
    }

    int inW = model.inputWidth();
    int tgW = readTargets ? model.targetWidth() : 0;
    double[] in = new double[16 * inW];
    double[] tg = new double[16 * tgW];
    int rows = 0;
    for (int l = headerLine + 1; l < lines.length; l++) {
      if (lines[l].isBlank()) {
        continue;
      }
      List<String> fields = split(name, lines[l], l + 1);
      if (fields.size() != header.size()) {
        int col = Math.min(fields.size(), header.size()) + 1;
        throw new DataException(name, l + 1, col, "ragged row: " + fields.size()
            + (fields.size() == 1 ? " field" : " fields") + ", but the header has " + header.size());
      }
      if ((rows + 1) * inW > in.length) {
        in = java.util.Arrays.copyOf(in, Math.max(in.length * 2, (rows + 1) * inW));
      }
      if ((rows + 1) * tgW > tg.length) {
        tg = java.util.Arrays.copyOf(tg, Math.max(tg.length * 2, (rows + 1) * tgW));
      }
      for (int c = 0; c < fields.size(); c++) {
        if (skip[c]) {
          continue;
        }
        String f = fields.get(c);
        if (!NUMBER.matcher(f).matches()) {
          throw new DataException(name, l + 1, c + 1,
              "not a number: '" + f + "' in column '" + header.get(c) + "'");
        }
        double v = Double.parseDouble(f);
        if (!Double.isFinite(v)) {
          throw new DataException(name, l + 1, c + 1,
              "number out of range: '" + f + "' in column '" + header.get(c) + "'");
        }
        if (dest[c] >= 0) {
          in[rows * inW + dest[c]] = v;
        } else {
          tg[rows * tgW + (-1 - dest[c])] = v;
        }
      }
      rows++;
    }
    if (rows == 0) {
      throw new DataException(name, headerLine + 1, 1, "no data rows after the header");
    }
    return new DataSet(name, rows, java.util.Arrays.copyOf(in, rows * inW),
        java.util.Arrays.copyOf(tg, rows * tgW), readTargets);
  }

  private static DataException missing(String name, int line, int headerSize, String col,
      List<TensorSpec> specs, String kind) {
    String tensor = specs.stream().filter(s -> columns(s).contains(col)).findFirst()
        .map(s -> s.name() + java.util.Arrays.toString(s.shape())).orElse(col);
    return new DataException(name, line, headerSize + 1, "missing column '" + col + "' for "
        + kind + " " + tensor);
  }

  private static Map<String, Integer> index(List<String> cols) {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < cols.size(); i++) {
      m.put(cols.get(i), i);
    }
    return m;
  }

  /** Splits one CSV line; fields are trimmed; double quotes group and {@code ""} escapes one. */
  static List<String> split(String file, String line, int lineNo) throws DataException {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(ch);
        }
      } else if (ch == '"' && cur.toString().isBlank()) {
        quoted = true;
        wasQuoted = true;
        cur.setLength(0);
      } else if (ch == ',') {
        out.add(wasQuoted ? cur.toString() : cur.toString().strip());
        cur.setLength(0);
        wasQuoted = false;
      } else if (!(wasQuoted && Character.isWhitespace(ch))) {
        cur.append(ch);
      }
    }
    if (quoted) {
      throw new DataException(file, lineNo, out.size() + 1, "unterminated quoted field");
    }
    out.add(wasQuoted ? cur.toString() : cur.toString().strip());
    return out;
  }
}
