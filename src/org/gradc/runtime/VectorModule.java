package org.gradc.runtime;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this JVM was started with the Vector API module ({@code --add-modules
 * jdk.incubator.vector}), which a running JVM cannot add to itself. Without it the generated
 * code's products run on the portable kernel; gradc says so once per JVM, through
 * {@link System.Logger} (logger {@code org.gradc}), when the first model is loaded.
 */
final class VectorModule {
  static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private VectorModule() {}

  /** Logs the one warning of this JVM when the module is absent (and not deliberately avoided). */
  static void warnIfAbsent() {
    if (!PRESENT && !Boolean.getBoolean("gradc.portableGemm") && WARNED.compareAndSet(false, true)) {
      System.getLogger("org.gradc").log(System.Logger.Level.WARNING,
          "gradc: the JVM lacks the Vector API module, so matrix products run on the portable"
              + " kernel, about 2x slower on a 784-128-10 MLP; start java with"
              + " --add-modules jdk.incubator.vector");
    }
  }
}
