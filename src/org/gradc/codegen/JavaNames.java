package org.gradc.codegen;

import com.palantir.javapoet.NameAllocator;
import java.util.Set;

/**
 * Java identifiers for DSL names, allocated through JavaPoet's {@link NameAllocator}: characters
 * Java does not allow become {@code _} ({@code h.W} is {@code h_W}), keywords and literals get a
 * trailing {@code _} ({@code class_}), and clashes get further underscores. The generated code's
 * own identifiers are reserved first, so a DSL name can never shadow them.
 */
final class JavaNames {
  /** Identifiers Java restricts in some positions, which NameAllocator does not know about. */
  private static final Set<String> RESTRICTED =
      Set.of("var", "yield", "record", "sealed", "permits", "_");

  /** Names the generated class uses itself. */
  static final String[] RESERVED = {
      "theta", "inputs", "targets", "grad", "out", "ws", "B", "e", "i", "j", "r", "c", "t", "s",
      "a", "mx", "z", "logZ", "n", "lossAndGradient", "predict", "workspaceLayout", "sigmoid",
      "softplus", "relu", "step", "sign", "max", "min", "ge", "doubles", "Math", "Double", "String",
      "Integer", "Object", "System", "Override", "GeneratedModel", "LAYOUT", "Gemm", "FastMath"};

  private final NameAllocator allocator = new NameAllocator();
  private final java.util.Map<Object, String> byTag = new java.util.HashMap<>();

  JavaNames() {
    for (String r : RESERVED) {
      allocator.newName(r, "reserved:" + r);
    }
  }

  /** A fresh identifier based on {@code suggestion}, remembered under {@code tag}. */
  String allocate(String suggestion, Object tag) {
    String s = NameAllocator.toJavaIdentifier(suggestion);
    if (RESTRICTED.contains(s)) {
      s = s + "_";
    }
    String name = allocator.newName(s, tag);
    byTag.put(tag, name);
    return name;
  }

  /** The identifier allocated under {@code tag}, or null. */
  String get(Object tag) {
    return byTag.get(tag);
  }
}
