package org.gradc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.gradc.Gradc;
import org.gradc.diag.SourceFile;
import org.gradc.lower.Plan;
import org.gradc.lower.Planner;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.LoadedModel;
import org.gradc.sema.CheckedModel;
import org.junit.jupiter.api.Test;

/** JVM limits, javac, determinism and threads. */
class LargeModelTest {
  static final int JIT_LIMIT = 8000;

  /** input x[8], 100 dense tanh layers of width 8, a linear output, mse. */
  static String hundredLayers() {
    StringBuilder b = new StringBuilder("model Deep100 {\n  input x[8]\n  target y[1]\n");
    String prev = "x";
    for (int i = 1; i <= 100; i++) {
      b.append("  layer h").append(i).append(" = dense(").append(prev).append(", 8, tanh)\n");
      prev = "h" + i;
    }
    b.append("  layer out = dense(").append(prev).append(", 1)\n  output out\n")
        .append("  loss mse(out, y)\n}\n");
    return b.toString();
  }

  @Test
  void hundredLayerModelCompilesStaysUnderTheJitLimitAndGradchecks() {
    CheckedModel model = Gradc.check(new SourceFile("deep100.grad", hundredLayers())).models()
        .get(0);
    Plan plan = Planner.plan(model);
    JavaEmitter.Emitted code = JavaEmitter.emit(plan, "org.gradc.test");
    assertMethodsSmall(Map.of(code.qualifiedName(), code.source()));
    LoadedModel m = ModelCompiler.compile(plan);
    ModelHarness.Point random = ModelHarness.randomPoint(m, 3, -1, 1, 5);
    ModelHarness.Point pt = new ModelHarness.Point(m.initialParameters(1), random.inputs(),
        random.targets(), 3);
    assertEquals(List.of(), ModelHarness.compareWithReference(plan, m, pt, 1e-12));
    assertEquals(List.of(), ModelHarness.finiteDifferences(m, pt, 300, 1e-6));
  }

  @Test
  void generatedSamplesCompileWithJavacAndStayUnderTheJitLimit() throws IOException {
    Map<String, String> sources = new LinkedHashMap<>();
    try (Stream<Path> s = Files.list(GeneratedSamplesTest.DIR)) {
      for (Path p : s.sorted().toList()) {
        String name = p.getFileName().toString().replace(".java", "");
        sources.put(GeneratedSamplesTest.PACKAGE + "." + name, Files.readString(p));
      }
    }
    assertTrue(sources.size() >= 10, sources.keySet().toString());
    assertMethodsSmall(sources);
  }

  static void assertMethodsSmall(Map<String, String> sources) {
    Map<String, byte[]> classes = Bytecode.javac(sources);
    List<String> big = new ArrayList<>();
    int methods = 0;
    for (Map.Entry<String, byte[]> c : classes.entrySet()) {
      for (Map.Entry<String, Integer> m : Bytecode.methodSizes(c.getValue()).entrySet()) {
        methods++;
        if (m.getValue() >= JIT_LIMIT) {
          big.add(c.getKey() + "." + m.getKey() + ": " + m.getValue() + " bytes");
        }
      }
    }
    assertTrue(methods > 0);
    assertEquals(List.of(), big);
  }

  @Test
  void sameSourceGivesSameTextAndOneCachedClass() throws IOException {
    // a model no other test compiles, so that it is compiled exactly once
    String text = Files.readString(Path.of("examples/mlp.grad"))
        .replace("model Mlp", "model MlpCacheProbe" + System.nanoTime());
    long before = org.gradc.runtime.ClassCompiler.compilations();
    CompiledModel a = Gradc.compile(text);
    assertEquals(before + 1, org.gradc.runtime.ClassCompiler.compilations());
    CompiledModel b = Gradc.compile(text);
    assertEquals(before + 1, org.gradc.runtime.ClassCompiler.compilations());
    assertEquals(a.javaSource(), b.javaSource());
    assertEquals(((LoadedModel) a).className(), ((LoadedModel) b).className());
    // the same text from a file: its comments name the file, its class is the one compiled above
    Path file = Files.createTempDirectory("gradc-cache").resolve("probe.grad");
    Files.writeString(file, text);
    CompiledModel c = Gradc.compile(file);
    assertEquals(before + 1, org.gradc.runtime.ClassCompiler.compilations());
    assertTrue(c.javaSource().contains("probe.grad"), "its own source names its file");
    Files.delete(file);
    Files.delete(file.getParent());
  }

  @Test
  void eightThreadsGetTheSameResultsAsOne() throws Exception {
    CompiledModel m = Gradc.compile(Path.of("examples/mlp.grad"));
    int threads = 8;
    List<ModelHarness.Point> points = new ArrayList<>();
    double[] expectedLoss = new double[threads];
    List<double[]> expectedGrad = new ArrayList<>();
    List<double[]> expectedOut = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      // different batch sizes, so workspaces of different threads differ in size
      ModelHarness.Point p = ModelHarness.randomPoint((LoadedModel) m, 1 + 3 * t, -1, 1, t);
      points.add(p);
      double[] g = new double[m.parameterCount()];
      expectedLoss[t] = m.lossAndGradient(p.theta(), p.inputs(), p.targets(), p.batch(), g);
      expectedGrad.add(g);
      expectedOut.add(m.predict(p.theta(), p.inputs(), p.batch()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        Callable<String> job = () -> {
          for (int rep = 0; rep < 20; rep++) {
            int k = (id + rep) % threads;
            ModelHarness.Point p = points.get(k);
            double[] g = new double[m.parameterCount()];
            double loss = m.lossAndGradient(p.theta(), p.inputs(), p.targets(), p.batch(), g);
            double[] out = m.predict(p.theta(), p.inputs(), p.batch());
            if (Double.compare(loss, expectedLoss[k]) != 0
                || !java.util.Arrays.equals(g, expectedGrad.get(k))
                || !java.util.Arrays.equals(out, expectedOut.get(k))) {
              return "thread " + id + " point " + k + " differs";
            }
          }
          return "";
        };
        results.add(pool.submit(job));
      }
      for (Future<String> f : results) {
        assertEquals("", f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
