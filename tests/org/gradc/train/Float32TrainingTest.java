package org.gradc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.gradc.Gradc;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.Precision;
import org.junit.jupiter.api.Test;

/**
 * Training in float32: XOR and the 784-128-10 MLP converge, parameters and optimizer buffers
 * stay float32 values, the loss is a float, and a params file holds each float's shortest text.
 */
class Float32TrainingTest {
  static CompiledModel f32(String path) {
    try {
      return Gradc.load(Gradc.read(Path.of(path))).models().get(0).compile(Precision.F32);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void assertFloats(double[] values, String what) {
    for (int i = 0; i < values.length; i++) {
      assertEquals((float) values[i], values[i], what + "[" + i + "] is a float32 value");
    }
  }

  @Test
  void xorConvergesInFloat32WithEachOptimizer() throws DataException {
    CompiledModel m = f32("examples/xor.grad");
    DataSet d = Models.data("examples/data/xor.csv", m);
    for (Trainer t : new Trainer[] {Trainer.fromDefaults(m),
        Trainer.of(m, Optimizer.momentum(0.5, 0.9)).batchSize(4).epochs(1500).seed(42),
        Trainer.of(m, Optimizer.adam(0.05)).batchSize(4).epochs(1000).seed(42)}) {
      double[] theta = m.initialParameters(t.seed());
      java.util.List<Double> stepLosses = new java.util.ArrayList<>();
      TrainResult r = t.fit(theta, d.inputs(), d.targets(), d.examples(),
          TrainListener.onStep((epoch, step, size, loss) -> stepLosses.add(loss)), null);
      assertEquals(TrainResult.Status.COMPLETED, r.status());
      assertFloats(stepLosses.stream().mapToDouble(Double::doubleValue).toArray(), "step loss");
      assertTrue(t.toString().endsWith(", precision f32"), t.toString());
      double[] out = m.predict(theta, d.inputs(), 4);
      double[] expected = {0, 1, 1, 0};
      for (int i = 0; i < 4; i++) {
        assertEquals(expected[i], Math.rint(out[i]), t + ": " + java.util.Arrays.toString(out));
      }
      assertFloats(theta, "theta");
      for (double[] b : r.state().buffers()) {
        assertFloats(b, "optimizer buffer");
      }
    }
  }

  @Test
  void mlpConvergesInFloat32LikeFloat64() throws DataException {
    CompiledModel m32 = f32("examples/mlp.grad");
    CompiledModel m64 = Models.compileFile("examples/mlp.grad");
    // a linear teacher over the 784 inputs labels 512 random examples
    int n = 512;
    Random rnd = new Random(3);
    double[] teacher = new double[784 * 10];
    for (int i = 0; i < teacher.length; i++) {
      teacher[i] = rnd.nextGaussian();
    }
    double[] x = new double[n * 784];
    double[] y = new double[n * 10];
    for (int e = 0; e < n; e++) {
      double[] score = new double[10];
      for (int i = 0; i < 784; i++) {
        x[e * 784 + i] = (float) rnd.nextGaussian();
        for (int c = 0; c < 10; c++) {
          score[c] += x[e * 784 + i] * teacher[i * 10 + c];
        }
      }
      int best = 0;
      for (int c = 1; c < 10; c++) {
        best = score[c] > score[best] ? c : best;
      }
      y[e * 10 + best] = 1;
    }
    double[] losses = new double[2];
    double[] accuracy = new double[2];
    CompiledModel[] models = {m32, m64};
    for (int k = 0; k < 2; k++) {
      Trainer t = Trainer.fromDefaults(models[k]).epochs(8);
      double[] theta = models[k].initialParameters(t.seed());
      TrainResult r = t.fit(theta, x, y, n);
      assertEquals(TrainResult.Status.COMPLETED, r.status());
      losses[k] = r.finalLoss();
      assertTrue(r.finalLoss() < 0.5 * r.epochLosses()[0],
          models[k].precision() + ": the loss fell from " + r.epochLosses()[0] + " to "
              + r.finalLoss());
      accuracy[k] = Metrics.accuracy(models[k], t.predict(theta, x, n), y, n).orElseThrow();
      if (k == 0) {
        assertFloats(theta, "theta");
      }
    }
    assertEquals(losses[1], losses[0], 0.05 * losses[1] + 1e-3, "f32 and f64 train alike");
    assertEquals(accuracy[1], accuracy[0], 0.05, "f32 and f64 reach the same accuracy");
  }

  @Test
  void paramsFilesOfAFloat32RunHoldEachFloatsShortestText(@org.junit.jupiter.api.io.TempDir
      Path dir) throws IOException, DataException {
    CompiledModel m = f32("examples/xor.grad");
    double[] theta = m.initialParameters(42);
    Trainer.fromDefaults(m).epochs(10).fit(theta, Models.data("examples/data/xor.csv", m)
        .inputs(), Models.data("examples/data/xor.csv", m).targets(), 4);
    Path file = dir.resolve("p.json");
    ParamsFile.write(file, m, theta);
    JsonNode w1 = new ObjectMapper().readTree(Files.readString(file)).get("W1");
    String first = w1.get(0).get(0).asText();
    assertEquals(Float.toString((float) theta[0]), first);
    double[] back = ParamsFile.read(file, m);
    for (int i = 0; i < theta.length; i++) {
      assertEquals((float) theta[i], (float) back[i], "parameter " + i + " reads back");
    }
  }
}
