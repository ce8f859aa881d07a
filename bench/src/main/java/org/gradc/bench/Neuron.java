package org.gradc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.gradc.Gradc;
import org.gradc.runtime.CompiledModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** W4: value and gradient of one sigmoid neuron for one example per call. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class Neuron {
  private CompiledModel model;
  private final double[] theta = {0.5, -0.3};
  private final double[] x = {1.5};
  private final double[] y = {1.0};
  private final double[] grad = new double[2];

  @Setup
  public void setUp() throws IOException {
    model = Gradc.compile(Files.readString(Steps.workloadDir().resolve("w4_neuron.grad")));
  }

  @Benchmark
  public double gradc() {
    return model.lossAndGradient(theta, x, y, 1, grad);
  }

  @Benchmark
  public double hand() {
    double yhat = 1 / (1 + Math.exp(-(theta[0] * x[0] + theta[1])));
    double e = yhat - y[0];
    double dz = e * yhat * (1 - yhat);
    grad[0] = dz * x[0];
    grad[1] = dz;
    return 0.5 * e * e;
  }
}
