package org.gradc.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import org.gradc.Gradc;
import org.junit.jupiter.api.Test;

/**
 * The class cache is bounded and evicted classes are unloaded: compiling thousands of distinct
 * models in one JVM leaves the number of loaded classes and the Metaspace bounded. Every figure
 * comes from the JVM's own class-loading and memory beans, none from the cache.
 */
class ClassCacheTest {
  static final int MODELS = 5000;

  static long metaspaceBytes() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getName().equals("Metaspace")) {
        return pool.getUsage().getUsed();
      }
    }
    return 0;
  }

  static void collect() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
  }

  @Test
  void thousandsOfDistinctModelsStayBounded() throws InterruptedException {
    ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
    String base = "model M%d {\n input x[2]\n target y\n param w[2] = [%d, 0.5]\n"
        + " yhat = sigmoid(dot(x, w))\n output yhat\n loss mse(yhat, y)\n}\n";
    // warm up, so that gradc's own classes are loaded before the baseline is taken
    for (int i = 0; i < 50; i++) {
      Gradc.compile(String.format(base, i + MODELS, -i - 1));
    }
    collect();
    long classesBefore = classes.getLoadedClassCount();
    long metaBefore = metaspaceBytes();
    long totalBefore = classes.getTotalLoadedClassCount();
    double sum = 0;
    for (int i = 0; i < MODELS; i++) {
      CompiledModel m = Gradc.compile(String.format(base, i, i));
      sum += m.predict(m.initialParameters(0), new double[] {1, 0}, 1)[0];
    }
    // measured by the JVM, not by the cache: every model loaded a class of its own
    long loaded = classes.getTotalLoadedClassCount() - totalBefore;
    assertTrue(loaded >= MODELS, "classes loaded for " + MODELS + " models: " + loaded);
    assertTrue(sum > MODELS / 2.0, "the models ran: " + sum);
    collect();
    long grown = classes.getLoadedClassCount() - classesBefore;
    long metaGrown = metaspaceBytes() - metaBefore;
    assertTrue(grown <= ClassCompiler.CAPACITY + 100, "loaded classes grew by " + grown + " after "
        + MODELS + " models (cache of " + ClassCompiler.CAPACITY + ")");
    assertTrue(classes.getUnloadedClassCount() >= MODELS - ClassCompiler.CAPACITY - 100,
        "classes unloaded: " + classes.getUnloadedClassCount());
    assertTrue(metaGrown < 64L << 20, "Metaspace grew by " + (metaGrown >> 20) + " MB");
  }
}
