package org.gradc.runtime;

import org.gradc.Gradc;

/** Run in a fresh JVM by {@link VectorWarningTest}: loads two models and uses both. */
public final class PlainJvmProbe {
  private PlainJvmProbe() {}

  public static void main(String[] args) {
    for (String name : new String[] {"A", "B"}) {
      CompiledModel m = Gradc.compile("model " + name
          + " {\n input x[3]\n target y[2]\n param W[3, 2] = ones\n yhat = x @ W\n output yhat\n"
          + " loss mse(yhat, y)\n}\n");
      double[] out = m.predict(m.initialParameters(1), new double[] {1, 2, 3}, 1);
      System.out.println(name + " " + out[0]);
    }
  }
}
