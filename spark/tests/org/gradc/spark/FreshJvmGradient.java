package org.gradc.spark;

import java.io.DataOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import org.gradc.runtime.CompiledModel;

/**
 * What an executor does, in a JVM of its own: reads a bundle, a block and θ (Java serialization),
 * compiles the bundle and writes the loss and gradient of the block (raw doubles).
 */
public final class FreshJvmGradient {
  private FreshJvmGradient() {}

  /**
   * Reads {@code args[0]}, writes {@code args[1]}.
   *
   * @param args the input and output files
   * @throws IOException when a file cannot be read or written
   * @throws ClassNotFoundException when a class of the input is missing from the class path
   */
  public static void main(String[] args) throws IOException, ClassNotFoundException {
    ModelBundle bundle;
    Block block;
    double[] theta;
    try (ObjectInputStream in = new ObjectInputStream(new FileInputStream(args[0]))) {
      bundle = (ModelBundle) in.readObject();
      block = (Block) in.readObject();
      theta = (double[]) in.readObject();
    }
    CompiledModel m = bundle.model();
    double[] grad = new double[m.parameterCount()];
    double loss = m.lossAndGradient(theta, block.inputs, block.targets, block.rows, grad);
    try (DataOutputStream out = new DataOutputStream(new FileOutputStream(args[1]))) {
      out.writeDouble(loss);
      for (double g : grad) {
        out.writeDouble(g);
      }
    }
  }
}
