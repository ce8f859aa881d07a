package org.gradc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.gradc.codegen.JavaEmitter;
import org.gradc.diag.SourceFile;
import org.gradc.codegen.ModelCompiler;
import org.gradc.lower.Planner;
import org.gradc.runtime.CompiledModel;
import org.gradc.sema.CheckedModel;
import org.junit.jupiter.api.Test;

/**
 * The phases are functions of immutable values: one checked model compiled from many threads at
 * once gives every thread the same code and the same numbers, and the model does not change.
 */
class ConcurrentCompileTest {
  static final int THREADS = 8;

  /** Runs {@code task} on THREADS threads released together; their results in thread order. */
  static <T> List<T> together(Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          return task.call();
        }));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(5, TimeUnit.MINUTES));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void everyExamplePlannedFromEightThreadsAtOnceGivesOneSource() throws Exception {
    for (Path file : Examples.files()) {
      for (CheckedModel model : Gradc.check(Gradc.read(file)).models()) {
        int nodes = model.graph().size();
        String alone = JavaEmitter.emit(Planner.plan(model), "p").source();
        List<String> sources = together(() -> JavaEmitter.emit(Planner.plan(model), "p").source());
        for (String s : sources) {
          assertEquals(alone, s, file + " " + model.name());
        }
        assertEquals(nodes, model.graph().size(), "the checked model's graph grew: " + file);
      }
    }
  }

  @Test
  void oneModelCompiledFromEightThreadsComputesTheSameNumbers() throws Exception {
    CheckedModel model = Gradc.check(Gradc.read(Path.of("examples/xor_layers.grad"))).models()
        .get(0);
    List<double[]> results = together(() -> {
      CompiledModel m = ModelCompiler.compile(Planner.plan(model));
      int b = 4;
      double[] theta = m.initialParameters(7);
      double[] x = new double[b * m.inputWidth()];
      double[] y = new double[b * m.targetWidth()];
      for (int i = 0; i < x.length; i++) {
        x[i] = (i % 3) - 1;
      }
      for (int i = 0; i < y.length; i++) {
        y[i] = i % 2;
      }
      double[] grad = new double[theta.length + 1];
      grad[theta.length] = m.lossAndGradient(theta, x, y, b, grad);
      return grad;
    });
    for (double[] r : results) {
      assertArrayEquals(results.get(0), r);
    }
  }

  @Test
  void theFacadeRunsEveryViewOfOneModelFromEightThreadsAtOnce() throws Exception {
    SourceFile file = Gradc.read(Path.of("examples/mlp.grad"));
    Model shared = Gradc.load(file).models().get(0);
    Model fresh = Gradc.load(file).models().get(0);
    String java = fresh.java("p").source();
    String grad = fresh.gradientText(false);
    String story = fresh.explain(null, 0, false);
    List<Object[]> views = together(() -> new Object[] {shared.compile(),
        shared.java("p").source(), shared.gradientText(false), shared.explain(null, 0, false)});
    for (Object[] v : views) {
      assertSame(views.get(0)[0], v[0], "compiled once");
      assertEquals(java, v[1]);
      assertEquals(grad, v[2]);
      assertEquals(story, v[3]);
    }
  }

  @Test
  void theStoryToldOnItsOwnThreadWhilePlanningNamesTheCodeAsToldFirst() throws Exception {
    for (Path file : Examples.files()) {
      SourceFile source = Gradc.read(file);
      List<Model> told = Gradc.load(source).models();
      List<Model> fresh = Gradc.load(source).models();
      for (int i = 0; i < told.size(); i++) {
        told.get(i).dot(false, null, 0); // the story's names, on this thread, before any plan
        assertEquals(told.get(i).java("p").source(), fresh.get(i).java("p").source(),
            file + " " + told.get(i).name());
      }
    }
  }
}
