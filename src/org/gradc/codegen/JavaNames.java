package org.gradc.codegen;

import com.palantir.javapoet.NameAllocator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Java identifiers for DSL names, allocated through JavaPoet's {@link NameAllocator}: every
 * character outside {@code [A-Za-z0-9_]} becomes {@code _} ({@code h.W} is {@code h_W}), a leading
 * digit gets a {@code _} in front, keywords and literals get a trailing {@code _}
 * ({@code class_}), names longer than {@link #MAX_LENGTH} are cut and end in a hash of the whole
 * name, and clashes get further underscores. Every identifier the generated class declares or
 * refers to itself is reserved first, so a DSL name can never shadow or duplicate one.
 */
final class JavaNames {
  /** Identifiers Java restricts in some positions, which NameAllocator does not know about. */
  private static final Set<String> RESTRICTED =
      Set.of("var", "yield", "record", "sealed", "permits", "_");

  /** The longest identifier handed out (far below the class file's 65,535-byte names). */
  static final int MAX_LENGTH = 64;

  /**
   * Names the generated class uses itself: its constants and methods, the parameters and locals
   * of methods whose bodies also use allocated names, its helpers, and the simple and package
   * names of the types it refers to. (Helper parameters such as {@code x} need no reservation:
   * the helpers' bodies use no allocated name.)
   */
  static final String[] RESERVED = {
      // members
      "PARAMETER_COUNT", "INPUT_WIDTH", "TARGET_WIDTH", "OUTPUT_WIDTH", "LAYOUT",
      "lossAndGradient", "predict", "workspaceLayout",
      // parameters and locals
      "theta", "inputs", "targets", "grad", "out", "ws", "B", "e", "i", "j", "r", "c", "t", "s",
      "a", "mx", "z", "logZ", "n", "oy", "ox", "ky", "kx", "iy", "ix", "best", "top",
      // helpers
      "sigmoid", "softplus", "relu", "step", "sign", "max", "min", "ge", "tanh", "doubles",
      "floats",
      // types and packages
      "Math", "Double", "String", "Integer", "Object", "System", "Override", "GeneratedModel",
      "GeneratedFloatModel", "Float",
      "Gemm", "FastMath", "java", "org"};

  private final NameAllocator allocator = new NameAllocator();
  private final Map<Object, String> byTag = new HashMap<>();

  JavaNames() {
    for (String r : RESERVED) {
      allocator.newName(r, "reserved:" + r);
    }
  }

  /** A fresh identifier based on {@code suggestion}, remembered under {@code tag}. */
  String allocate(String suggestion, Object tag) {
    String name = allocator.newName(safe(suggestion), tag);
    byTag.put(tag, name);
    return name;
  }

  /** The identifier allocated under {@code tag}, or null. */
  String get(Object tag) {
    return byTag.get(tag);
  }

  /** {@code suggestion} reduced to a short ASCII Java identifier that is not restricted. */
  static String safe(String suggestion) {
    StringBuilder b = new StringBuilder(Math.min(suggestion.length(), MAX_LENGTH) + 1);
    for (int i = 0; i < suggestion.length() && b.length() <= MAX_LENGTH; i++) {
      char c = suggestion.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '_';
      b.append(ok ? c : '_');
    }
    if (b.length() == 0 || b.charAt(0) >= '0' && b.charAt(0) <= '9') {
      b.insert(0, '_');
    }
    String s = b.toString();
    if (s.length() > MAX_LENGTH || suggestion.length() > MAX_LENGTH) {
      s = s.substring(0, MAX_LENGTH - 17) + "_" + hash(suggestion);
    }
    return RESTRICTED.contains(s) ? s + "_" : s;
  }

  private static String hash(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
