package org.gradc.runtime;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.codehaus.commons.compiler.CompileException;
import org.codehaus.janino.SimpleCompiler;

/**
 * The one class that uses Janino. Kept apart so that a run which finds its classes in the
 * persistent cache never loads it: linking a class that catches Janino's exception loads that
 * exception and the classes it extends.
 */
final class JaninoCompiler {
  /** Number of classes compiled in this JVM so far. */
  static final AtomicLong COMPILATIONS = new AtomicLong();

  /**
   * A class in the shape of generated code, in small (constants, loops over arrays, compound
   * assignments, casts, a branch, calls to {@link Math}), against the same interface: compiling
   * it loads, verifies and initializes most of what compiling a model needs.
   */
  private static final String WARM_UP = """
      package org.gradc.generated;

      abstract class WarmUp implements org.gradc.runtime.GeneratedModel {
        static final int W = 0;
        private static final String LAYOUT = "2b";

        @Override
        public String workspaceLayout() {
          return LAYOUT;
        }

        private static void step(double[] theta, double[] x, double[] y, double[][] ws, int B) {
          double[] h = ws[0];
          double s = 0.0;
          for (int e = 0; e < B; e++) {
            for (int j = 0; j < 2; j++) {
              h[e * 2 + j] += x[e] * theta[W + j];
              s += sigmoid(h[e * 2 + j]) - y[e];
            }
          }
          y[0] = s / ((double) B);
        }

        private static double sigmoid(double x) {
          if (x >= 0.0) {
            return 1.0 / (1.0 + Math.exp(-x));
          }
          double e = Math.exp(x);
          return e / (1.0 + e);
        }
      }
      """;

  private JaninoCompiler() {}

  /** The class files Janino makes of {@code source}, by binary class name. */
  static Map<String, byte[]> bytecode(String qualifiedName, String source) {
    COMPILATIONS.incrementAndGet();
    try {
      return cook(source);
    } catch (CompileException e) {
      throw new IllegalStateException("generated code for " + qualifiedName
          + " does not compile: " + e.getMessage(), e);
    }
  }

  /** Compiles {@link #WARM_UP} and drops the result (not counted as a compilation). */
  static void warmUp() {
    try {
      cook(WARM_UP);
    } catch (CompileException e) {
      throw new IllegalStateException("the warm-up class does not compile: " + e.getMessage(), e);
    }
  }

  private static Map<String, byte[]> cook(String source) throws CompileException {
    SimpleCompiler compiler = new SimpleCompiler();
    compiler.setParentClassLoader(GeneratedCode.class.getClassLoader());
    compiler.cook(source);
    return Map.copyOf(compiler.getBytecodes());
  }
}
