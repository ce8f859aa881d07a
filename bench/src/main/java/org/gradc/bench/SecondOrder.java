package org.gradc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.gradc.Gradc;
import org.gradc.runtime.CompiledModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a Hessian-vector product next to the gradient it extends, on the same parameters,
 * direction and batch, in the same run (the cheap-gradient bound expects the ratio to stay
 * below about 4).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class SecondOrder {
  /** The workload file and the batch size. */
  @Param({"w2_mlp.grad:64", "w3_deep.grad:64"})
  public String workload;

  private CompiledModel model;
  private double[] theta;
  private double[] direction;
  private double[] out;
  private double[] x;
  private double[] y;
  private int batch;

  @Setup
  public void setUp() throws IOException {
    String[] w = workload.split(":");
    model = Gradc.compile(Files.readString(Steps.workloadDir().resolve(w[0])));
    batch = Integer.parseInt(w[1]);
    theta = model.initialParameters(1);
    SplittableRandom r = new SplittableRandom(2);
    direction = r.doubles(theta.length, -1, 1).toArray();
    x = r.doubles((long) batch * model.inputWidth(), -1, 1).toArray();
    y = new double[batch * model.targetWidth()];
    for (int b = 0; b < batch; b++) {
      y[b * model.targetWidth() + r.nextInt(model.targetWidth())] = 1;
    }
    out = new double[theta.length];
  }

  @Benchmark
  public double gradient() {
    return model.lossAndGradient(theta, x, y, batch, out);
  }

  @Benchmark
  public double hessianVectorProduct() {
    return model.hessianVectorProduct(theta, direction, x, y, batch, out);
  }
}
