package org.gradc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gradc.runtime.CompiledModel;
import org.gradc.train.DataException;
import org.gradc.train.DataSet;
import org.gradc.train.Optimizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A {@code Dataset<Row>} is read by column name; a wrong schema is one error naming the column. */
class DatasetInputTest {
  static CompiledModel iris;
  static ModelBundle bundle;
  static DataSet data;
  static double[] expected;
  static double[] theta;

  @BeforeAll
  static void load() throws IOException, DataException {
    iris = TestSpark.compile("iris.grad");
    bundle = ModelBundle.of(iris);
    data = DataSet.readCsv(ONE_HOT, iris, DataSet.Targets.REQUIRED, false);
    theta = iris.initialParameters(4);
    expected = new double[theta.length];
    iris.lossAndGradient(theta, data.inputs(), data.targets(), data.examples(), expected);
  }

  /** Iris with the model's column names and the species one-hot: one number per scalar. */
  static final java.nio.file.Path ONE_HOT = java.nio.file.Path.of("tests", "data", "iris-onehot.csv");

  /** That CSV as Spark reads it: one numeric column per scalar, named as the header. */
  static Dataset<Row> csv() {
    return TestSpark.session().read().option("header", "true").option("inferSchema", "true")
        .csv(ONE_HOT.toString());
  }

  static double[] gradient(SparkData d) {
    double[] g = new double[theta.length];
    SparkTrainer.of(bundle, Optimizer.sgd(0.1)).lossAndGradient(theta, d, g);
    d.unpersist();
    return g;
  }

  @Test
  void oneColumnPerScalarNamedAsTheCsvHeader() {
    SparkData d = SparkData.fromDataset(csv().repartition(3), bundle, 32);
    assertEquals(150, d.examples());
    assertTrue(TestSpark.relativeError(expected, gradient(d)) <= 1e-12);
  }

  @Test
  void arrayColumnsNamedAsTheTensorsAnyNumericTypeAndExtraColumnsIgnored() {
    StructType schema = new StructType()
        .add("id", DataTypes.StringType)
        .add("x", DataTypes.createArrayType(DataTypes.FloatType))
        .add("y", DataTypes.createArrayType(DataTypes.IntegerType));
    List<Row> rows = new ArrayList<>();
    for (int e = 0; e < data.examples(); e++) {
      List<Float> x = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        x.add((float) data.inputs()[e * 4 + i]);
      }
      List<Integer> y = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        y.add((int) data.targets()[e * 3 + i]);
      }
      rows.add(RowFactory.create("row" + e, x.toArray(new Float[0]), y.toArray(new Integer[0])));
    }
    Dataset<Row> table = TestSpark.session().createDataFrame(rows, schema);
    double[] floats = data.inputs().clone();
    for (int i = 0; i < floats.length; i++) {
      floats[i] = (float) floats[i];
    }
    double[] want = new double[theta.length];
    iris.lossAndGradient(theta, floats, data.targets(), data.examples(), want);
    assertTrue(TestSpark.relativeError(want, gradient(SparkData.fromDataset(table, bundle, 40)))
        <= 1e-12);
  }

  @Test
  void aMissingColumnIsOneErrorNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkData.fromDataset(csv().drop("x[2]"), bundle, 32));
    assertEquals("column 'x[2]' is missing: model Iris reads its input x from a column 'x'"
        + " (an array of 4 numbers) or from columns x[0], x[1], x[2], x[3]; the data has"
        + " x[0], x[1], x[3], y[0], y[1], y[2]", e.getMessage());
  }

  @Test
  void aColumnOfTheWrongTypeIsOneErrorNamingIt() {
    Dataset<Row> bad = csv().withColumn("y[1]", functions.col("`y[1]`").cast("string"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkData.fromDataset(bad, bundle, 32));
    assertEquals("column 'y[1]' is string, not a number (model Iris's target y)", e.getMessage());
    Dataset<Row> scalarForArray = csv().withColumn("x", functions.lit(1.0));
    e = assertThrows(IllegalArgumentException.class,
        () -> SparkData.fromDataset(scalarForArray, bundle, 32));
    assertEquals("column 'x' is double, not an array of numbers (model Iris's input x)",
        e.getMessage());
  }

  @Test
  void aNullValueNamesItsColumn() {
    Dataset<Row> nulls = csv().withColumn("x[1]",
        functions.when(functions.col("`x[0]`").gt(7.5), functions.lit(null))
            .otherwise(functions.col("`x[1]`")));
    SparkException e = assertThrows(SparkException.class,
        () -> SparkData.fromDataset(nulls, bundle, 32));
    assertTrue(e.getMessage().contains("a row has no value for x[1]"), e.getMessage());
  }
}
