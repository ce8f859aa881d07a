package org.gradc.runtime;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.codehaus.commons.compiler.CompileException;
import org.codehaus.janino.SimpleCompiler;

/**
 * The one class that uses Janino. Kept apart so that a run which finds its classes in the
 * persistent cache never loads it: linking a class that catches Janino's exception loads that
 * exception, and with it Janino's signed jar and the verification of its signature.
 */
final class JaninoCompiler {
  /** Number of classes compiled in this JVM so far. */
  static final AtomicLong COMPILATIONS = new AtomicLong();

  private JaninoCompiler() {}

  /** The class files Janino makes of {@code source}, by binary class name. */
  static Map<String, byte[]> bytecode(String qualifiedName, String source) {
    COMPILATIONS.incrementAndGet();
    SimpleCompiler compiler = new SimpleCompiler();
    compiler.setParentClassLoader(GeneratedCode.class.getClassLoader());
    try {
      compiler.cook(source);
      return Map.copyOf(compiler.getBytecodes());
    } catch (CompileException e) {
      throw new IllegalStateException("generated code for " + qualifiedName
          + " does not compile: " + e.getMessage(), e);
    }
  }
}
