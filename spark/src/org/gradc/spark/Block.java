package org.gradc.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Consecutive examples of one partition packed as the model's batch format, so that generated
 * code runs on whole batches: {@code rows × inputWidth} input values and {@code rows ×
 * targetWidth} target values, row-major. A block is data: its arrays are never changed after
 * packing.
 */
public final class Block implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The number of examples. */
  final int rows;
  /** {@code rows × inputWidth} input values, row-major. */
  final double[] inputs;
  /** {@code rows × targetWidth} target values, row-major. */
  final double[] targets;

  /**
   * A block of {@code rows} examples; the arrays are kept, not copied.
   *
   * @param rows the number of examples, at least 1
   * @param inputs exactly {@code rows × inputWidth} values
   * @param targets exactly {@code rows × targetWidth} values
   * @throws IllegalArgumentException when {@code rows} is below 1 or the lengths do not divide
   *     evenly into rows
   */
  public Block(int rows, double[] inputs, double[] targets) {
    if (rows < 1 || inputs.length % rows != 0 || targets.length % rows != 0) {
      throw new IllegalArgumentException("a block of " + rows + " rows cannot hold "
          + inputs.length + " input and " + targets.length + " target values");
    }
    this.rows = rows;
    this.inputs = inputs;
    this.targets = targets;
  }

  /**
   * The number of examples.
   *
   * @return at least 1
   */
  public int rows() {
    return rows;
  }

  /** One example's inputs and targets, written into two arrays by a row reader. */
  interface RowReader<T> extends Serializable {
    void read(T row, double[] inputs, int inputAt, double[] targets, int targetAt);
  }

  /** Packs the rows of one partition into blocks of at most {@code blockRows} examples. */
  static <T> Iterator<Block> pack(Iterator<T> rows, RowReader<T> reader, int inputWidth,
      int targetWidth, int blockRows) {
    List<Block> blocks = new ArrayList<>();
    double[] x = new double[blockRows * inputWidth];
    double[] y = new double[blockRows * targetWidth];
    int n = 0;
    while (rows.hasNext()) {
      reader.read(rows.next(), x, n * inputWidth, y, n * targetWidth);
      if (++n == blockRows) {
        blocks.add(new Block(n, x, y));
        x = new double[blockRows * inputWidth];
        y = new double[blockRows * targetWidth];
        n = 0;
      }
    }
    if (n > 0) {
      blocks.add(new Block(n, java.util.Arrays.copyOf(x, n * inputWidth),
          java.util.Arrays.copyOf(y, n * targetWidth)));
    }
    return blocks.iterator();
  }
}
