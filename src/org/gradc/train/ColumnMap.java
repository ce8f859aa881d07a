package org.gradc.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gradc.diag.Suggestions;
import org.gradc.diag.UserText;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.TensorSpec;

/**
 * Which CSV columns feed which input or target. Without an entry a tensor reads its default
 * columns ({@code x}, {@code x[0]}, {@code x[0][1]}: {@link DataSet#columns(TensorSpec)}); an
 * entry names the columns of one tensor in its flat (row-major) order, so a file headed
 * {@code x1,x2,label} feeds {@code input x[2]} and {@code target y[1]} with
 *
 * <pre>{@code ColumnMap.parse("x=x1,x2 y=label")}</pre>
 *
 * A target may instead come from one <em>label column</em> of class names or integers
 * ({@link #withLabel}): a target of width k &gt; 1 gets the one-hot encoding of k classes, a
 * target of width 1 the class index 0 or 1 of two classes. Integer labels {@code 0 … k−1} are
 * class indices as they are; other labels are classes in sorted order. A map is an immutable
 * value; it is checked against a model when data is read ({@link #check}).
 */
public final class ColumnMap {
  /** No entries: every tensor reads its default columns. */
  public static final ColumnMap DEFAULT = new ColumnMap(Map.of(), Map.of());

  private final Map<String, List<String>> columns;
  private final Map<String, Label> labels;

  /**
   * A target read from one label column.
   *
   * @param column the CSV column holding the class of each row
   * @param classes the class names in class-index order, when they are known (from a
   *     training run); empty to take them from the data
   */
  public record Label(String column, List<String> classes) {
    /**
     * Copies {@code classes}.
     *
     * @param column the CSV column holding the class of each row
     * @param classes the class names in class-index order, or empty
     */
    public Label {
      classes = List.copyOf(classes);
    }
  }

  private ColumnMap(Map<String, List<String>> columns, Map<String, Label> labels) {
    this.columns = columns;
    this.labels = labels;
  }

  /**
   * Parses entries {@code NAME=COLUMN[,COLUMN…]} separated by spaces, e.g.
   * {@code x=sepal_length,sepal_width y=label}. A column name holding spaces or commas is
   * written in double quotes ({@code x="sepal length",x2}).
   *
   * @param text the entries; blank gives {@link #DEFAULT}
   * @return the map
   * @throws IllegalArgumentException when an entry is malformed or a name is given twice
   */
  public static ColumnMap parse(String text) {
    ColumnMap map = DEFAULT;
    for (String entry : split(text, ' ')) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        throw new IllegalArgumentException("expected NAME=COLUMN[,COLUMN…], got '"
            + UserText.quote(entry) + "'");
      }
      List<String> cols = split(entry.substring(eq + 1), ',');
      if (cols.isEmpty() || cols.stream().anyMatch(String::isEmpty)) {
        throw new IllegalArgumentException("empty column name in '" + UserText.quote(entry) + "'");
      }
      map = map.withColumns(entry.substring(0, eq), cols);
    }
    return map;
  }

  /**
   * This map with {@code tensor} read from {@code cols}.
   *
   * @param tensor an input or target of the model
   * @param cols its CSV columns in flat order, one per element
   * @return a new map
   * @throws IllegalArgumentException when {@code tensor} already has an entry
   */
  public ColumnMap withColumns(String tensor, List<String> cols) {
    checkNew(tensor);
    Map<String, List<String>> c = new LinkedHashMap<>(columns);
    c.put(tensor, List.copyOf(cols));
    return new ColumnMap(java.util.Collections.unmodifiableMap(c), labels);
  }

  /**
   * This map with target {@code target} read from the label column {@code column}.
   *
   * @param target a target of the model
   * @param column the CSV column of class names or integers
   * @param classes the class names in class-index order when known (to read validation or
   *     prediction data as training read it), else empty
   * @return a new map
   * @throws IllegalArgumentException when {@code target} already has an entry
   */
  public ColumnMap withLabel(String target, String column, List<String> classes) {
    checkNew(target);
    Map<String, Label> l = new LinkedHashMap<>(labels);
    l.put(target, new Label(column, classes));
    return new ColumnMap(columns, java.util.Collections.unmodifiableMap(l));
  }

  private void checkNew(String tensor) {
    if (columns.containsKey(tensor) || labels.containsKey(tensor)) {
      throw new IllegalArgumentException("'" + UserText.quote(tensor) + "' is mapped twice");
    }
  }

  /**
   * The column entries.
   *
   * @return tensor name to its CSV columns (unmodifiable)
   */
  public Map<String, List<String>> columns() {
    return columns;
  }

  /**
   * The label entries.
   *
   * @return target name to its label column (unmodifiable)
   */
  public Map<String, Label> labels() {
    return labels;
  }

  /**
   * The label column of a target, if it has one.
   *
   * @param target the target's name
   * @return its label entry, or empty
   */
  public Optional<Label> label(String target) {
    return Optional.ofNullable(labels.get(target));
  }

  /**
   * The CSV columns a tensor reads, in flat order (not for a label target).
   *
   * @param s an input or target
   * @return its mapped columns, or its default ones
   */
  public List<String> columnsFor(TensorSpec s) {
    List<String> c = columns.get(s.name());
    return c != null ? c : DataSet.columns(s);
  }

  /**
   * Checks every entry against the model: the name is an input or target, a column entry has
   * one column per element, a label entry is for a target.
   *
   * @param model the model the data is for
   * @throws IllegalArgumentException naming the entry that does not fit
   */
  public void check(CompiledModel model) {
    List<String> names = new ArrayList<>();
    model.inputs().forEach(s -> names.add(s.name()));
    model.targets().forEach(s -> names.add(s.name()));
    for (Map.Entry<String, List<String>> e : columns.entrySet()) {
      TensorSpec s = find(model, e.getKey(), names);
      if (e.getValue().size() != s.size()) {
        throw new IllegalArgumentException("'" + UserText.quote(e.getKey()) + "' is "
            + s.name() + java.util.Arrays.toString(s.shape()) + ", " + s.size() + " values, but "
            + e.getValue().size() + (e.getValue().size() == 1 ? " column is" : " columns are")
            + " given" + (e.getValue().size() == 1 && model.targets().contains(s)
                ? " (a column of class labels is given with --labels)" : ""));
      }
    }
    for (String t : labels.keySet()) {
      TensorSpec s = find(model, t, names);
      if (!model.targets().contains(s)) {
        throw new IllegalArgumentException("labels are for targets, and '" + UserText.quote(t)
            + "' is an input");
      }
    }
  }

  private static TensorSpec find(CompiledModel model, String name, List<String> names) {
    List<TensorSpec> all = new ArrayList<>(model.inputs());
    all.addAll(model.targets());
    return all.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(
        () -> new IllegalArgumentException("model " + model.name() + " has no input or target '"
            + UserText.quote(name) + "' (it has " + String.join(", ", names) + ")"
            + Suggestions.didYouMean(name, names)));
  }

  /** Splits at {@code sep} outside double quotes; with {@code ' '} at any white space. */
  private static List<String> split(String text, char sep) {
    List<String> out = new ArrayList<>();
    StringBuilder b = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
        any = true;
        if (sep == ' ') {
          b.append(c); // the entry keeps its quotes for the split of its columns
        }
      } else if (!quoted && (c == sep || sep == ' ' && Character.isWhitespace(c))) {
        if (any || sep != ' ') {
          out.add(b.toString());
        }
        b.setLength(0);
        any = false;
      } else {
        b.append(c);
        any = true;
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unterminated quote in '" + UserText.quote(text) + "'");
    }
    if (any || sep != ' ' && !out.isEmpty()) {
      out.add(b.toString());
    }
    return out;
  }

  /** The entries in {@link #parse} syntax, labels as {@code y=label(species)}. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    columns.forEach((t, c) -> parts.add(t + "=" + String.join(",", c.stream().map(ColumnMap::quoted).toList())));
    labels.forEach((t, l) -> parts.add(t + "=label(" + quoted(l.column()) + ")"));
    return String.join(" ", parts);
  }

  private static String quoted(String col) {
    return col.matches("[^\\s,\"=]+") ? col : "\"" + col + "\"";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ColumnMap m && m.columns.equals(columns) && m.labels.equals(labels);
  }

  @Override
  public int hashCode() {
    return columns.hashCode() * 31 + labels.hashCode();
  }
}
