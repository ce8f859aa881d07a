package org.gradc.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradc.diag.Suggestions;
import org.gradc.diag.UserText;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.TensorSpec;

/**
 * Where each column of a CSV header goes: an element of the inputs or targets, a label column
 * (collected as text and one-hot encoded once every row is read), or nowhere. Built once per
 * file from the header, the model and a {@link ColumnMap}; every mismatch is a
 * {@link DataException} that lists the columns found and the ones expected.
 */
final class CsvLayout {
  /** Per header column: index into the input row (≥ 0) or {@code -1 - i} for target i. */
  final int[] dest;
  /** Per header column: skipped (an extra column, or a target that is not read). */
  final boolean[] skip;
  /** Per header column: its label collector, or null. */
  final Labels[] labels;
  final boolean readTargets;

  private CsvLayout(int columns, boolean readTargets) {
    this.dest = new int[columns];
    this.skip = new boolean[columns];
    this.labels = new Labels[columns];
    this.readTargets = readTargets;
  }

  static CsvLayout of(String file, int headerLine, List<String> header, CompiledModel model,
      ColumnMap map, DataSet.Targets targets, boolean ignoreExtra) throws DataException {
    try {
      map.check(model);
    } catch (IllegalArgumentException e) {
      throw new DataException(file, "--columns: " + e.getMessage());
    }
    Map<String, Integer> position = new HashMap<>();
    for (int c = 0; c < header.size(); c++) {
      position.put(header.get(c), c);
    }
    boolean anyTarget = false;
    for (TensorSpec t : model.targets()) {
      List<String> cols = map.label(t.name()).map(l -> List.of(l.column())).orElse(map.columnsFor(t));
      anyTarget |= cols.stream().anyMatch(position::containsKey);
    }
    CsvLayout layout = new CsvLayout(header.size(), targets == DataSet.Targets.REQUIRED || anyTarget);
    Arrays.fill(layout.skip, true);
    Missing missing = new Missing(file, headerLine, header, model, map);
    for (TensorSpec s : model.inputs()) {
      layout.place(missing, s, inputColumns(s, header, model, map, position), position, k -> s.offset() + k);
    }
    if (layout.readTargets) {
      for (TensorSpec t : model.targets()) {
        var label = map.label(t.name());
        if (label.isPresent()) {
          Integer c = position.get(label.get().column());
          if (c == null) {
            throw missing.column(label.get().column(), t, "label column");
          }
          layout.labels[c] = new Labels(file, label.get().column(), c, t, label.get().classes());
          layout.skip[c] = false;
        } else {
          layout.place(missing, t, map.columnsFor(t), position, k -> -1 - (t.offset() + k));
        }
      }
    }
    for (int c = 0; c < header.size(); c++) {
      if (layout.skip[c] && !ignoreExtra) {
        throw new DataException(file, headerLine, c + 1, "unexpected column '"
            + UserText.quote(header.get(c)) + "': model " + model.name()
            + " has no such input or target (--ignore-extra skips it)");
      }
    }
    return layout;
  }

  /**
   * The columns of input {@code s}: mapped, or its default names, or — for a model's only input
   * whose default names are all absent — the columns no target uses, in file order, when there
   * are exactly as many as it has elements (a file {@code a,b,c,label} feeds {@code x[3]}).
   */
  private static List<String> inputColumns(TensorSpec s, List<String> header, CompiledModel model,
      ColumnMap map, Map<String, Integer> position) {
    List<String> cols = map.columnsFor(s);
    if (model.inputs().size() != 1 || map.columns().containsKey(s.name())
        || cols.stream().anyMatch(position::containsKey)) {
      return cols;
    }
    List<String> used = new ArrayList<>();
    for (TensorSpec t : model.targets()) {
      used.addAll(map.label(t.name()).map(l -> List.of(l.column())).orElse(map.columnsFor(t)));
    }
    List<String> rest = header.stream().filter(h -> !used.contains(h)).toList();
    return rest.size() == s.size() ? rest : cols;
  }

  private void place(Missing missing, TensorSpec s, List<String> cols, Map<String, Integer> position,
      java.util.function.IntUnaryOperator destination) throws DataException {
    for (int k = 0; k < cols.size(); k++) {
      Integer c = position.get(cols.get(k));
      if (c == null) {
        throw missing.column(cols.get(k), s, "column");
      }
      if (!skip[c] || labels[c] != null) {
        throw new DataException(missing.file, missing.line, c + 1, "column '"
            + UserText.quote(cols.get(k)) + "' is mapped twice");
      }
      skip[c] = false;
      dest[c] = destination.applyAsInt(k);
    }
  }

  /** Fills the label targets' one-hot values; returns each label target's class names. */
  Map<String, List<String>> finish(double[] targets, int examples, int targetWidth)
      throws DataException {
    Map<String, List<String>> classes = new LinkedHashMap<>();
    for (Labels l : labels) {
      if (l != null) {
        classes.put(l.target.name(), l.fill(targets, examples, targetWidth));
      }
    }
    return classes;
  }

  /** The report of a column the header lacks: what was found, what was expected. */
  private record Missing(String file, int line, List<String> header, CompiledModel model, ColumnMap map) {
    DataException column(String col, TensorSpec s, String what) {
      String kind = model.inputs().contains(s) ? "input" : "target";
      List<String> expected = new ArrayList<>();
      model.inputs().forEach(i -> expected.addAll(map.columnsFor(i)));
      model.targets().forEach(t -> expected.addAll(
          map.label(t.name()).map(l -> List.of(l.column())).orElse(map.columnsFor(t))));
      List<String> unused = header.stream().filter(h -> !expected.contains(h)).toList();
      String hint = "";
      for (int c = 0; c < header.size() && hint.isEmpty(); c++) {
        // a look-alike: the name with invisible characters (a zero-width space, a stray BOM)
        String visible = header.get(c).codePoints().filter(cp -> !UserText.unsafe(cp))
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        if (visible.equals(col)) {
          hint = "; column " + (c + 1) + " is '" + UserText.quote(header.get(c))
              + "', with invisible characters";
        }
      }
      if (hint.isEmpty()) {
        hint = Suggestions.didYouMean(col, unused);
      }
      boolean renamed = map.columnsFor(s).stream().noneMatch(header::contains);
      String example = unused.isEmpty() || !map.columns().isEmpty() || !renamed ? ""
          : " (--columns maps other names, e.g. " + s.name() + "="
              + String.join(",", unused.stream().limit(Math.min(2, s.size())).map(UserText::quote).toList())
              + (s.size() > 2 ? ",…" : "") + ")";
      return new DataException(file, line, header.size() + 1, "missing " + what + " '"
          + UserText.quote(col) + "' for " + kind + " " + s.name() + Arrays.toString(s.shape()) + hint
          + "; the file has " + list(header) + "; expected " + list(expected) + example);
    }

    private static String list(List<String> names) {
      List<String> shown = names.stream().limit(12).map(UserText::quote).toList();
      return String.join(", ", shown) + (names.size() > shown.size() ? ", … ("
          + names.size() + " in all)" : "");
    }
  }

  /** One label column's text values, row by row, until the classes are known. */
  static final class Labels {
    private final String file;
    private final String column;
    private final int position;
    private final TensorSpec target;
    private final List<String> known;
    private final Map<String, int[]> seen = new LinkedHashMap<>(); // name -> {id, first line}
    private int[] rows = new int[256];
    private int count;

    Labels(String file, String column, int position, TensorSpec target, List<String> known) {
      this.file = file;
      this.column = column;
      this.position = position;
      this.target = target;
      this.known = known;
    }

    /** The number of classes the target holds: its width, or two for a single value. */
    private int classes() {
      return target.size() == 1 ? 2 : target.size();
    }

    void add(CharSequence text, int line) throws DataException {
      String name = text.toString();
      int[] id = seen.get(name);
      if (id == null) {
        int index = known.isEmpty() ? seen.size() : known.indexOf(name);
        if (index < 0) {
          throw new DataException(file, line, position + 1, "unknown class '" + UserText.quote(name)
              + "' in column '" + UserText.quote(column) + "'; the classes are "
              + String.join(", ", known.stream().map(UserText::quote).toList())
              + Suggestions.didYouMean(name, known));
        }
        id = new int[] {index, line};
        seen.put(name, id);
      }
      if (count == rows.length) {
        rows = Arrays.copyOf(rows, rows.length * 2);
      }
      rows[count++] = id[0];
    }

    /** Writes the encoding into {@code targets}; returns the class names by index. */
    List<String> fill(double[] targets, int examples, int width) throws DataException {
      List<String> names = known.isEmpty() ? discover() : known;
      Map<Integer, Integer> byId = new HashMap<>();
      seen.forEach((name, id) -> byId.put(id[0], names.indexOf(name)));
      for (int e = 0; e < examples; e++) {
        int k = byId.get(rows[e]);
        int at = e * width + target.offset();
        if (target.size() == 1) {
          targets[at] = k;
        } else {
          targets[at + k] = 1;
        }
      }
      return names;
    }

    /** Integer labels 0 … k−1 as class indices, other labels sorted; k classes exactly. */
    private List<String> discover() throws DataException {
      String shape = target.name() + Arrays.toString(target.shape());
      boolean integers = seen.keySet().stream().allMatch(n -> n.matches("0|[1-9][0-9]{0,8}"));
      if (integers) {
        for (Map.Entry<String, int[]> e : seen.entrySet()) {
          if (Integer.parseInt(e.getKey()) >= classes()) {
            throw new DataException(file, e.getValue()[1], position + 1, "label " + e.getKey()
                + " in column '" + UserText.quote(column) + "' is no class of target " + shape
                + ", which takes 0 to " + (classes() - 1));
          }
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes(); k++) {
          names.add(Integer.toString(k));
        }
        return names;
      }
      List<String> names = seen.keySet().stream().sorted().toList();
      if (names.size() != classes()) {
        throw new DataException(file, 0, 0, "column '" + UserText.quote(column) + "' has "
            + names.size() + " classes (" + String.join(", ", names.stream().limit(12)
                .map(UserText::quote).toList()) + (names.size() > 12 ? ", …" : "")
            + "), but target " + shape + " takes " + classes());
      }
      return names;
    }
  }
}
