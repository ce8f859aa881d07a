package org.gradc.runtime;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this JVM was started with the Vector API module ({@code --add-modules
 * jdk.incubator.vector}), which a running JVM cannot add to itself. Without it the generated
 * code's products run on the portable kernel; gradc says so once per JVM, as one line on
 * standard error, when the first model is loaded.
 */
final class VectorModule {
  static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private VectorModule() {}

  /**
   * Prints the one warning of this JVM when the module is absent (and not deliberately avoided).
   * A plain line on {@code System.err}: a {@link System.Logger} would bring up
   * {@code java.util.logging}, {@code java.time} and locale data, a tenth of a cold first compile.
   */
  static void warnIfAbsent() {
    if (!PRESENT && !Boolean.getBoolean("gradc.portableGemm") && WARNED.compareAndSet(false, true)) {
      System.err.println("gradc: the JVM lacks the Vector API module, so matrix products run on"
          + " the portable kernel, about 2x slower on a 784-128-10 MLP; start java with"
          + " --add-modules jdk.incubator.vector");
    }
  }
}
