package org.gradc.spark.example;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.gradc.Gradc;
import org.gradc.runtime.CompiledModel;
import org.gradc.spark.ModelBundle;
import org.gradc.spark.SparkData;
import org.gradc.spark.SparkTrainer;
import org.gradc.train.ColumnMap;
import org.gradc.train.DataException;
import org.gradc.train.DataSet;
import org.gradc.train.Optimizer;
import org.gradc.train.TrainResult;

/**
 * Trains the Iris network of {@code examples/iris.grad} on Spark with each of the three methods
 * and prints loss and accuracy. Runs on {@code local[2]} unless {@code spark.master} is set (as
 * {@code spark-submit} sets it).
 *
 * <p>Usage: {@code TrainIris MODEL.grad DATA.csv} (the real Iris file: four measurements and the
 * species name, read on the driver with the species as the class label of target {@code y}).
 */
public final class TrainIris {
  private TrainIris() {}

  /**
   * Trains and reports.
   *
   * @param args the model file and the CSV file
   * @throws IOException when the model file cannot be read
   * @throws DataException when the CSV file does not fit the model
   */
  public static void main(String[] args) throws IOException, DataException {
    if (args.length != 2) {
      System.err.println("usage: TrainIris MODEL.grad DATA.csv");
      System.exit(2);
    }
    CompiledModel model = Gradc.compile(Path.of(args[0]));
    DataSet iris = DataSet.readCsv(Path.of(args[1]), model, DataSet.Targets.REQUIRED,
        ColumnMap.DEFAULT.withLabel("y", "species", List.of()), false);
    ModelBundle bundle = ModelBundle.of(model);
    SparkConf conf = new SparkConf().setAppName("gradc-iris")
        .setIfMissing("spark.master", "local[2]")
        .setIfMissing("spark.ui.enabled", "false")
        .setIfMissing("spark.driver.host", "127.0.0.1")
        .setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    try {
      JavaRDD<double[]> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
          .parallelize(shuffled(SparkData.rowsOf(iris)), 2);
      SparkData data = SparkData.fromRows(rows, bundle, SparkData.DEFAULT_BLOCK_ROWS);
      System.out.printf(Locale.ROOT, "%s: %d examples in %d partitions on %s%n", model.name(),
          data.examples(), data.partitions(), spark.sparkContext().master());
      SparkTrainer base = SparkTrainer.of(bundle, Optimizer.adam(0.02)).seed(1);
      run("full-batch L-BFGS, 100 iterations", base.method(SparkTrainer.Method.LBFGS).epochs(100),
          model, data);
      run("synchronous Adam, batch 75, 60 epochs", base.batchSize(75).epochs(60), model, data);
      run("local Adam steps (batch 16, 10 epochs) then average, 30 rounds",
          base.method(SparkTrainer.Method.LOCAL_AVERAGE).batchSize(16).localEpochs(10).epochs(30),
          model, data);
      data.unpersist();
    } finally {
      spark.stop();
    }
  }

  /** The file is sorted by species: shuffled with a fixed seed, each partition is a fair sample. */
  private static List<double[]> shuffled(List<double[]> rows) {
    Collections.shuffle(rows, new Random(7));
    return rows;
  }

  private static void run(String what, SparkTrainer trainer, CompiledModel model, SparkData data) {
    double[] theta = model.initialParameters(1);
    TrainResult r = trainer.fit(theta, data, null);
    System.out.printf(Locale.ROOT, "%-64s loss %.4f  accuracy %.3f  (%d epochs, %.1f s)%n", what,
        r.finalLoss(), trainer.accuracy(theta, data).orElse(Double.NaN), r.epochs(), r.seconds());
  }
}
