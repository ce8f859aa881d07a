package org.gradc.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.gradc.runtime.TensorSpec;
import org.gradc.train.DataSet;

/**
 * Where each scalar of a model's inputs and targets comes from in a {@code Dataset<Row>}: a
 * tensor {@code x} is read from one column named {@code x} (a number for a scalar, an array of
 * numbers for a vector or matrix, row-major), or else from one numeric column per scalar, named
 * as the command line's CSV header names them ({@code x[0]}, {@code x[1]}, …). Other columns are
 * ignored. Checked against the schema on the driver, so a wrong schema fails before any job.
 */
final class ColumnMapping implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int inputWidth;
  /** Per scalar, inputs then targets: the column it is read from. */
  private final int[] column;
  /** Per scalar: its element in an array column, or -1 for a numeric column. */
  private final int[] element;
  /** Per scalar: the column's name and the element's index, for messages. */
  private final String[] where;

  private ColumnMapping(int inputWidth, int[] column, int[] element, String[] where) {
    this.inputWidth = inputWidth;
    this.column = column;
    this.element = element;
    this.where = where;
  }

  /**
   * The mapping of {@code bundle}'s inputs and targets onto {@code schema}.
   *
   * @throws IllegalArgumentException naming the first column that is missing or not numeric
   */
  static ColumnMapping of(StructType schema, ModelBundle bundle) {
    int width = bundle.inputWidth() + bundle.targetWidth();
    int[] column = new int[width];
    int[] element = new int[width];
    String[] where = new String[width];
    int k = 0;
    List<TensorSpec> all = new ArrayList<>(bundle.inputs());
    all.addAll(bundle.targets());
    for (TensorSpec t : all) {
      String role = (k < bundle.inputWidth() ? "input " : "target ") + t.name();
      int whole = index(schema, t.name());
      if (whole >= 0) {
        check(schema.fields()[whole], t.shape().length > 0, bundle.name(), role);
        for (int e = 0; e < t.size(); e++, k++) {
          column[k] = whole;
          element[k] = t.shape().length > 0 ? e : -1;
          where[k] = t.name() + (t.shape().length > 0 ? " element " + e : "");
        }
        continue;
      }
      for (String name : DataSet.columns(t)) {
        int c = index(schema, name);
        if (c < 0) {
          throw new IllegalArgumentException("column '" + name + "' is missing: model "
              + bundle.name() + " reads its " + role + " from a column '" + t.name() + "'"
              + (t.shape().length > 0 ? " (an array of " + t.size() + " numbers)" : "")
              + " or from columns " + String.join(", ", DataSet.columns(t)) + "; the data has "
              + String.join(", ", schema.fieldNames()));
        }
        check(schema.fields()[c], false, bundle.name(), role);
        column[k] = c;
        element[k] = -1;
        where[k++] = name;
      }
    }
    return new ColumnMapping(bundle.inputWidth(), column, element, where);
  }

  private static int index(StructType schema, String name) {
    return Arrays.asList(schema.fieldNames()).indexOf(name);
  }

  private static void check(StructField f, boolean array, String model, String role) {
    DataType t = f.dataType();
    boolean ok = array ? t instanceof ArrayType a && a.elementType() instanceof NumericType
        : t instanceof NumericType;
    if (!ok) {
      throw new IllegalArgumentException("column '" + f.name() + "' is " + t.simpleString()
          + ", not " + (array ? "an array of numbers" : "a number") + " (model " + model + "'s "
          + role + ")");
    }
  }

  /** Reads one row's inputs and targets into the blocks' arrays. */
  void read(Row row, double[] x, int xAt, double[] y, int yAt) {
    List<Object> list = null;
    int listColumn = -1;
    for (int k = 0; k < column.length; k++) {
      int c = column[k];
      Object v;
      if (element[k] < 0) {
        v = row.isNullAt(c) ? null : row.get(c);
      } else {
        if (c != listColumn) {
          list = row.isNullAt(c) ? null : row.getList(c);
          listColumn = c;
          if (list != null && list.size() != count(c)) {
            throw new IllegalArgumentException("column '" + row.schema().fieldNames()[c]
                + "' holds " + list.size() + " values in a row, expected " + count(c));
          }
        }
        v = list == null ? null : list.get(element[k]);
      }
      if (v == null) {
        throw new IllegalArgumentException("a row has no value for " + where[k]);
      }
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("a row has " + d + " for " + where[k]
            + ", not a finite number");
      }
      if (k < inputWidth) {
        x[xAt + k] = d;
      } else {
        y[yAt + k - inputWidth] = d;
      }
    }
  }

  /** The number of scalars read from column {@code c}. */
  private int count(int c) {
    int n = 0;
    for (int k : column) {
      n += k == c ? 1 : 0;
    }
    return n;
  }
}
