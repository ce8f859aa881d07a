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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W0: {@code .grad} text to a loaded model in a warm JVM. A miss renames the model so the
 * generated class differs and the whole pipeline runs; a hit compiles the same text again.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 7, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class Compile {
  @Param({"w1_xor.grad", "w2_mlp.grad"})
  public String file;

  private String source;
  private long counter;

  @Setup
  public void setUp() throws IOException {
    source = Files.readString(Steps.workloadDir().resolve(file));
  }

  @Benchmark
  public CompiledModel miss() {
    return Gradc.compile(source.replaceFirst("model (\\w+)", "model $1_" + (counter++)));
  }

  @Benchmark
  public CompiledModel hit() {
    return Gradc.compile(source);
  }
}
