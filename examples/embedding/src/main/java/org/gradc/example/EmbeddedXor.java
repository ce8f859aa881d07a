package org.gradc.example;

import org.gradc.Gradc;
import org.gradc.diag.GradcException;
import org.gradc.runtime.CompiledModel;
import org.gradc.train.Optimizer;
import org.gradc.train.TrainListener;
import org.gradc.train.TrainResult;
import org.gradc.train.Trainer;

/**
 * Compiles an XOR network from a source string at run time, trains it with Adam and prints the
 * four predictions. Exits with status 1 if they do not round to 0, 1, 1, 0.
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

  public static void main(String[] args) {
    CompiledModel model;
    try {
      model = Gradc.compile(SOURCE);
    } catch (GradcException e) {
      System.err.println(e.getMessage());
      System.exit(1);
      return;
    }
    double[] inputs = {0, 0, 0, 1, 1, 0, 1, 1};   // 4 examples × 2 inputs, row-major
    double[] targets = {0, 1, 1, 0};             // 4 examples × 1 target
    double[] theta = model.initialParameters(42); // laid out by model.parameters()

    Trainer trainer = Trainer.of(model, Optimizer.adam(0.05)).batchSize(4).epochs(2000).seed(7);
    TrainResult result = trainer.fit(theta, inputs, targets, 4, new TrainListener() {
      @Override
      public boolean onEpoch(int epoch, double loss, double[] params) {
        if (epoch % 500 == 0) {
          System.out.printf("epoch %4d  loss %.6f%n", epoch, loss);
        }
        return loss > 1e-4; // stop early once it has learned
      }
    });
    System.out.printf("%s after %d epochs (%d steps), loss %.6f%n", result.status(), result.epochs(),
        result.steps(), result.loss());

    double[] yhat = model.predict(theta, inputs, 4);
    boolean ok = true;
    for (int i = 0; i < 4; i++) {
      System.out.printf("x = [%.0f, %.0f]  y = %.0f  yhat = %.4f%n",
          inputs[2 * i], inputs[2 * i + 1], targets[i], yhat[i]);
      ok &= Math.rint(yhat[i]) == targets[i];
    }
    if (!ok) {
      System.err.println("the network did not learn XOR");
      System.exit(1);
    }
  }
}
