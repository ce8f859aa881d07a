package org.gradc.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.gradc.train.DataSet;

/**
 * Training data on a cluster: the examples of each partition packed into {@link Block}s in the
 * model's batch format and kept in executor memory, so that every step runs generated code on
 * whole blocks. Partition order and the order of rows within a partition are kept, which makes a
 * run over the same data reproducible bit for bit.
 */
public final class SparkData {
  /** Examples per block when none is given. */
  public static final int DEFAULT_BLOCK_ROWS = 4096;

  private final JavaRDD<Block> blocks;
  private final long examples;
  private final int inputWidth;
  private final int targetWidth;

  private SparkData(JavaRDD<Block> blocks, int inputWidth, int targetWidth) {
    this.blocks = blocks.persist(StorageLevel.MEMORY_ONLY());
    this.inputWidth = inputWidth;
    this.targetWidth = targetWidth;
    // one job packs and keeps the blocks; an error in a row is reported here, not mid-training
    this.examples = this.blocks.map(b -> (long) b.rows()).fold(0L, Long::sum);
    if (examples == 0) {
      this.blocks.unpersist(false);
      throw new IllegalArgumentException("the data has no rows");
    }
  }

  /**
   * Data from flat rows: each row is one example's input values followed by its target values,
   * in the model's layout (the order of the command line's CSV columns).
   *
   * @param rows the examples, {@code inputWidth + targetWidth} values each
   * @param bundle the model the rows are for
   * @param blockRows examples per block, at least 1
   * @return the packed data, kept in memory until {@link #unpersist()}
   * @throws IllegalArgumentException when {@code blockRows} is below 1, there are no rows, or
   *     (reported by Spark as the job's cause) a row has the wrong number of values
   */
  public static SparkData fromRows(JavaRDD<double[]> rows, ModelBundle bundle, int blockRows) {
    int in = bundle.inputWidth();
    int tg = bundle.targetWidth();
    checkBlockRows(blockRows);
    String model = bundle.name();
    Block.RowReader<double[]> reader = (row, x, xAt, y, yAt) -> {
      if (row.length != in + tg) {
        throw new IllegalArgumentException("a row has " + row.length + " values, model " + model
            + " needs " + in + " inputs and " + tg + " targets");
      }
      System.arraycopy(row, 0, x, xAt, in);
      System.arraycopy(row, in, y, yAt, tg);
    };
    return new SparkData(rows.mapPartitions(it -> Block.pack(it, reader, in, tg, blockRows)),
        in, tg);
  }

  /**
   * The examples of a data set read on the driver (by {@code DataSet.readCsv}, with column maps
   * and class labels) as the rows {@link #fromRows} takes: each example's inputs, then its targets.
   *
   * @param data the examples
   * @return one row per example, in data order
   */
  public static List<double[]> rowsOf(DataSet data) {
    int n = data.examples();
    int in = data.inputs().length / n;
    int tg = data.targets().length / n;
    List<double[]> rows = new ArrayList<>(n);
    for (int e = 0; e < n; e++) {
      double[] r = new double[in + tg];
      System.arraycopy(data.inputs(), e * in, r, 0, in);
      System.arraycopy(data.targets(), e * tg, r, in, tg);
      rows.add(r);
    }
    return rows;
  }

  /**
   * Data from a table with named columns. A tensor {@code x} of the model is read from a column
   * {@code x} (a number, or an array of numbers row-major) or else from one numeric column per
   * scalar, named as in a CSV header ({@code x[0]}, {@code x[1]}; {@code W[0][1]} for a matrix).
   * Other columns are ignored. The schema is checked before any job runs.
   *
   * @param table the examples
   * @param bundle the model whose inputs and targets name the columns
   * @param blockRows examples per block, at least 1
   * @return the packed data, kept in memory until {@link #unpersist()}
   * @throws IllegalArgumentException naming the column when one is missing or not numeric; when
   *     {@code blockRows} is below 1 or there are no rows; and (reported by Spark as the job's
   *     cause) when a value is null or not finite
   */
  public static SparkData fromDataset(Dataset<Row> table, ModelBundle bundle, int blockRows) {
    checkBlockRows(blockRows);
    ColumnMapping mapping = ColumnMapping.of(table.schema(), bundle);
    int in = bundle.inputWidth();
    int tg = bundle.targetWidth();
    return new SparkData(table.javaRDD().mapPartitions(
        it -> Block.pack(it, mapping::read, in, tg, blockRows)), in, tg);
  }

  private static void checkBlockRows(int blockRows) {
    if (blockRows < 1) {
      throw new IllegalArgumentException("rows per block must be at least 1, got " + blockRows);
    }
  }

  /**
   * The packed blocks, partitioned as the input was.
   *
   * @return the cached blocks
   */
  public JavaRDD<Block> blocks() {
    return blocks;
  }

  /**
   * The number of examples.
   *
   * @return at least 1
   */
  public long examples() {
    return examples;
  }

  /**
   * The number of partitions, each one task per step.
   *
   * @return the blocks' partition count
   */
  public int partitions() {
    return blocks.getNumPartitions();
  }

  /**
   * The examples of every partition, in order (one small job).
   *
   * @return the number of examples per partition
   */
  public List<Integer> partitionSizes() {
    return blocks.mapPartitions(it -> {
      int n = 0;
      while (it.hasNext()) {
        n += it.next().rows();
      }
      return List.of(n).iterator();
    }).collect();
  }

  /** Checks that this data was packed for {@code bundle}'s widths. */
  void requireWidths(ModelBundle bundle) {
    if (bundle.inputWidth() != inputWidth || bundle.targetWidth() != targetWidth) {
      throw new IllegalArgumentException("the data was packed for " + inputWidth + " inputs and "
          + targetWidth + " targets, model " + bundle.name() + " has " + bundle.inputWidth()
          + " and " + bundle.targetWidth());
    }
  }

  /** Frees the executors' memory; the data cannot be used afterwards. */
  public void unpersist() {
    blocks.unpersist(false);
  }
}
