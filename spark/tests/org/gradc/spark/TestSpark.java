package org.gradc.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.gradc.Gradc;
import org.gradc.runtime.CompiledModel;
import org.gradc.train.DataException;
import org.gradc.train.ColumnMap;
import org.gradc.train.DataSet;

/**
 * One Spark session for all tests of the JVM (starting one takes seconds): {@code local[2]},
 * bound to the loopback address, without the web UI.
 */
final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  static synchronized SparkSession session() {
    if (session == null) {
      session = SparkSession.builder().master("local[2]").appName("gradc-spark-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.ui.showConsoleProgress", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "2")
          .getOrCreate();
    }
    return session;
  }

  static JavaSparkContext context() {
    return JavaSparkContext.fromSparkContext(session().sparkContext());
  }

  /** A file of the repository's examples directory. */
  static Path example(String name) {
    return Path.of("..", "examples", name);
  }

  static CompiledModel compile(String example) throws IOException {
    return Gradc.compile(example(example));
  }

  /** An example data set as {@code gradc train} reads it (Iris: {@code --labels species}). */
  static DataSet read(String csv, CompiledModel m) throws DataException {
    ColumnMap map = csv.equals("iris.csv")
        ? ColumnMap.DEFAULT.withLabel("y", "species", List.of()) : ColumnMap.DEFAULT;
    return DataSet.readCsv(example("data/" + csv), m, DataSet.Targets.REQUIRED, map, false);
  }

  /**
   * The examples as flat rows (inputs then targets), in {@code partitions} partitions, in file
   * order or, with a seed other than 0, shuffled (so that each partition is a fair sample of a
   * file sorted by class).
   */
  static JavaRDD<double[]> rows(DataSet d, int partitions, long seed) {
    List<double[]> rows = SparkData.rowsOf(d);
    if (seed != 0) {
      Collections.shuffle(rows, new Random(seed));
    }
    return context().parallelize(rows, partitions);
  }

  /** The largest difference relative to the largest magnitude of {@code expected}. */
  static double relativeError(double[] expected, double[] actual) {
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < expected.length; i++) {
      diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
      scale = Math.max(scale, Math.abs(expected[i]));
    }
    return diff / scale;
  }
}
