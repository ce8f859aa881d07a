package org.gradc.example;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gradc.Gradc;
import org.gradc.diag.Diagnostic;
import org.gradc.diag.GradcException;
import org.gradc.runtime.CompiledModel;
import org.gradc.train.ParamsFile;
import org.gradc.train.Optimizer;
import org.gradc.train.TrainListener;
import org.gradc.train.TrainResult;
import org.gradc.train.Trainer;

/**
 * Compiles an XOR network at run time, trains it with Adam, predicts, saves and reloads its
 * parameters, and shows what a bad model text reports. Exits with status 1 if the predictions
 * do not round to 0, 1, 1, 0.
 */
public final class EmbeddedXor {
  private static final String SOURCE = """
      model Xor {
        input  x[2]
        target y[1]
        layer  h    = dense(x, 4, tanh)
        layer  yhat = dense(h, 1, sigmoid)
        output yhat
        loss   mse(yhat, y)
      }
      """;

  private EmbeddedXor() {}

  public static void main(String[] args) throws Exception {
    // 1. Compile from a string (or from a file: the same text is compiled once per JVM).
    CompiledModel model = Gradc.compile(SOURCE);
    Path file = Files.createTempFile("xor", ".grad");
    Files.writeString(file, SOURCE);
    CompiledModel same = Gradc.compile(file);
    System.out.println(model + "; from the file: " + same.parameterCount() + " parameters");

    // 2. Data in the flat row-major layout: examples × inputWidth, examples × targetWidth.
    double[] inputs = {0, 0, 0, 1, 1, 0, 1, 1};
    double[] targets = {0, 1, 1, 0};
    double[] theta = model.initialParameters(42); // laid out by model.parameters()

    // 3. Train theta in place; the lambda hears every epoch and may stop early.
    Trainer trainer = Trainer.of(model, Optimizer.adam(0.05)).batchSize(4).epochs(2000).seed(7);
    TrainResult result = trainer.fit(theta, inputs, targets, 4,
        TrainListener.onEpoch((epoch, loss, params) -> loss > 1e-4));
    System.out.println(result);

    // 4. Predict: one output row per example (examples × outputWidth).
    double[] yhat = model.predict(theta, inputs, 4);
    boolean ok = true;
    for (int i = 0; i < 4; i++) {
      System.out.printf("x = [%.0f, %.0f]  y = %.0f  yhat = %.4f%n",
          inputs[2 * i], inputs[2 * i + 1], targets[i], yhat[i]);
      ok &= Math.rint(yhat[i]) == targets[i];
    }

    // 5. Save and load the parameters (a JSON file, one entry per parameter).
    Path params = Files.createTempFile("xor", ".json");
    ParamsFile.write(params, model, theta);
    double[] loaded = ParamsFile.read(params, model);
    System.out.println("reloaded parameters equal: " + java.util.Arrays.equals(theta, loaded));

    // 6. The generated Java is there to read.
    String java = model.javaSource();
    System.out.println("generated source: " + java.lines().count() + " lines");

    // 7. A model with an error: every diagnostic has its position and message.
    try {
      Gradc.compile("model Bad {\n  input x[2]\n  param w[3] = ones\n  loss sum(x * w)\n}\n");
    } catch (GradcException e) {
      for (Diagnostic d : e.diagnostics()) {
        System.out.println("rejected at " + d.span().line() + ":" + d.span().col() + ": "
            + d.message());
      }
    }
    Files.delete(file);
    Files.delete(params);
    if (!ok) {
      System.err.println("the network did not learn XOR");
      System.exit(1);
    }
  }
}
