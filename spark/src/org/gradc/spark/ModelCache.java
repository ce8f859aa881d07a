package org.gradc.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gradc.runtime.CompiledModel;

/**
 * The models of this JVM, by bundle hash: an executor's tasks share one compiled model, and a
 * model is compiled at most once per JVM while it stays in the cache. Bounded (least recently
 * used out), as Spark bounds its own code cache, so a long-lived executor that trains many
 * models keeps its Metaspace bounded. Compiling happens under the lock: two tasks that need the
 * same model at once compile it once.
 */
public final class ModelCache {
  /** Models kept; {@code -Dgradc.spark.modelCacheSize=N} on the executors changes it. */
  public static final int CAPACITY =
      Math.max(1, Integer.getInteger("gradc.spark.modelCacheSize", 16));

  private static final Map<String, CompiledModel> MODELS = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, CompiledModel> eldest) {
      return size() > CAPACITY;
    }
  };

  private static long builds;

  private ModelCache() {}

  static CompiledModel get(ModelBundle bundle) {
    synchronized (MODELS) {
      CompiledModel m = MODELS.get(bundle.hash());
      if (m == null) {
        m = bundle.compile();
        builds++;
        MODELS.put(bundle.hash(), m);
      }
      return m;
    }
  }

  /**
   * How many models this JVM has built from bundles so far (cache misses).
   *
   * @return the number of builds since the JVM started
   */
  public static long builds() {
    synchronized (MODELS) {
      return builds;
    }
  }
}
