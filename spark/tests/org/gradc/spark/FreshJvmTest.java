package org.gradc.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gradc.Gradc;
import org.gradc.runtime.CompiledModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM with only the run-time side of the class path (gradc, which carries its own relocated
 * copy of Janino, and this module; no Spark, Scala, Janino, ANTLR, JavaPoet or Jackson) deserializes a bundle and a block and computes the same
 * gradient, bit for bit: what a real executor does, which {@code local[2]} cannot show since its
 * executors share the driver's JVM.
 */
class FreshJvmTest {
  /** The class path entries an executor needs besides Spark's own. */
  static List<String> runtimeClassPath() {
    List<String> keep = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      boolean ours = entry.endsWith("classes") || entry.endsWith("test-classes");
      if (ours || name.matches("gradc-[0-9].*\\.jar")) {
        keep.add(entry);
      }
    }
    return keep;
  }

  @Test
  void aFreshJvmWithOnlyTheRuntimeClassesComputesTheSameGradient(@TempDir Path dir)
      throws IOException, InterruptedException {
    CompiledModel m = Gradc.compile(DistributedGradientTest.NET);
    ModelBundle bundle = ModelBundle.of(m);
    int rows = 50;
    double[] x = new double[rows * m.inputWidth()];
    double[] y = new double[rows * m.targetWidth()];
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.sin(i * 0.37);
    }
    for (int e = 0; e < rows; e++) {
      y[e * 3 + e % 3] = 1;
    }
    double[] theta = m.initialParameters(11);
    double[] grad = new double[theta.length];
    double loss = m.lossAndGradient(theta, x, y, rows, grad);

    Path in = dir.resolve("task.bin");
    Path out = dir.resolve("result.bin");
    try (ObjectOutputStream o = new ObjectOutputStream(new FileOutputStream(in.toFile()))) {
      o.writeObject(bundle);
      o.writeObject(new Block(rows, x, y));
      o.writeObject(theta);
    }
    List<String> cp = runtimeClassPath();
    String joined = String.join(File.pathSeparator, cp);
    assertFalse(cp.stream().anyMatch(e -> Path.of(e).getFileName().toString()
        .matches("(spark|scala|janino|commons-compiler|antlr|javapoet|jackson).*\\.jar")), joined);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "--add-modules", "jdk.incubator.vector",
        "-cp", joined, FreshJvmGradient.class.getName(), in.toString(), out.toString())
        .redirectErrorStream(true).start();
    byte[] printed = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String text = new String(printed, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), text);
    assertFalse(text.contains("Exception"), text);

    double[] back = new double[theta.length];
    double backLoss;
    try (DataInputStream r = new DataInputStream(new FileInputStream(out.toFile()))) {
      backLoss = r.readDouble();
      for (int i = 0; i < back.length; i++) {
        back[i] = r.readDouble();
      }
    }
    assertEquals(Double.doubleToLongBits(loss), Double.doubleToLongBits(backLoss));
    assertArrayEquals(grad, back, 0.0, () -> "gradients differ: " + Arrays.toString(back));
    assertEquals(8L * (1 + theta.length), Files.size(out));
  }
}
