package org.gradc.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.gradc.Gradc;
import org.gradc.runtime.CompiledModel;
import org.gradc.train.Optimizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The distributed full-batch gradient is the single-JVM one, and the same on every run. */
class DistributedGradientTest {
  static final String NET = """
      model Net {
        input  x[20]
        target y[3]
        layer h = dense(x, 16, tanh)
        layer logits = dense(h, 3)
        output logits
        loss cross_entropy(logits, y)
      }
      """;

  static CompiledModel model;
  static ModelBundle bundle;
  static double[] inputs;
  static double[] targets;
  static final int ROWS = 1000;

  @BeforeAll
  static void data() {
    model = Gradc.compile(NET);
    bundle = ModelBundle.of(model);
    Random r = new Random(3);
    inputs = new double[ROWS * 20];
    targets = new double[ROWS * 3];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = r.nextGaussian();
    }
    for (int e = 0; e < ROWS; e++) {
      targets[e * 3 + r.nextInt(3)] = 1;
    }
  }

  static JavaRDD<double[]> rows(int partitions) {
    List<double[]> rows = new ArrayList<>();
    for (int e = 0; e < ROWS; e++) {
      double[] row = new double[23];
      System.arraycopy(inputs, e * 20, row, 0, 20);
      System.arraycopy(targets, e * 3, row, 20, 3);
      rows.add(row);
    }
    return TestSpark.context().parallelize(rows, partitions);
  }

  @Test
  void gradientEqualsTheSingleJvmGradientTo1e12() {
    double[] theta = model.initialParameters(5);
    double[] expected = new double[theta.length];
    double loss = model.lossAndGradient(theta, inputs, targets, ROWS, expected);
    SparkData data = SparkData.fromRows(rows(3), bundle, 128);
    assertEquals(ROWS, data.examples());
    assertEquals(3, data.partitions());
    double[] grad = new double[theta.length];
    double distributed = SparkTrainer.of(bundle, Optimizer.sgd(0.1)).lossAndGradient(theta, data,
        grad);
    assertTrue(TestSpark.relativeError(expected, grad) <= 1e-12,
        "gradient relative error " + TestSpark.relativeError(expected, grad));
    assertEquals(loss, distributed, 1e-12 * Math.abs(loss));
    data.unpersist();
  }

  @Test
  void sameDataAndPartitionsGiveTheSameBitsEveryTime() {
    double[] theta = model.initialParameters(6);
    SparkData data = SparkData.fromRows(rows(4), bundle, 100);
    SparkTrainer t = SparkTrainer.of(bundle, Optimizer.sgd(0.1));
    double[] first = new double[theta.length];
    double[] second = new double[theta.length];
    double l1 = t.lossAndGradient(theta, data, first);
    double l2 = t.lossAndGradient(theta, data, second);
    assertArrayEquals(first, second, 0.0);
    assertEquals(Double.doubleToLongBits(l1), Double.doubleToLongBits(l2));
    data.unpersist();
  }

  @Test
  void aModelIsCompiledOncePerJvmAndSharedByItsTasks() {
    SparkData data = SparkData.fromRows(rows(2), bundle, 64);
    SparkTrainer t = SparkTrainer.of(bundle, Optimizer.sgd(0.1));
    t.loss(model.initialParameters(1), data);
    long builds = ModelCache.builds();
    for (int i = 0; i < 3; i++) {
      t.loss(model.initialParameters(1), data);
    }
    assertEquals(builds, ModelCache.builds(), "later jobs reuse the executor's model");
    assertSame(bundle.model(), ModelBundle.of(model).model(), "one model per code and JVM");
    data.unpersist();
  }

  @Test
  void aBundleSurvivesJavaSerializationWithTheSameLayoutAndInitialParameters()
      throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(bundle);
    }
    ModelBundle back;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (ModelBundle) in.readObject();
    }
    assertEquals(bundle.hash(), back.hash());
    assertEquals(model.inputs(), back.model().inputs());
    assertEquals(model.parameters(), back.model().parameters());
    assertArrayEquals(model.initialParameters(9), back.model().initialParameters(9), 0.0);
  }

  @Test
  void aRowOfTheWrongWidthIsReportedWithTheModelsWidths() {
    JavaRDD<double[]> bad = TestSpark.context().parallelize(List.of(new double[5]), 1);
    SparkException e = assertThrows(SparkException.class, () -> SparkData.fromRows(bad, bundle, 8));
    assertTrue(
        e.getMessage().contains("a row has 5 values, model Net needs 20 inputs and 3 targets"),
        e.getMessage());
  }
}
