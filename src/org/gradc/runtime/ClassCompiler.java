package org.gradc.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import org.codehaus.commons.compiler.CompileException;
import org.codehaus.janino.SimpleCompiler;

/**
 * Compiles generated source in memory with Janino and loads the class, each in its own class
 * loader. Compiled classes are cached by the SHA-256 of their source text (and class name), so
 * compiling the same model twice in one JVM compiles it once.
 */
public final class ClassCompiler {
  private static final ConcurrentHashMap<String, Class<?>> CACHE = new ConcurrentHashMap<>();

  private ClassCompiler() {}

  /** A new instance of the generated model class {@code qualifiedName} defined by {@code source}. */
  public static GeneratedModel load(String qualifiedName, String source) {
    Class<?> c = CACHE.computeIfAbsent(key(qualifiedName, source),
        k -> compile(qualifiedName, source));
    try {
      return (GeneratedModel) c.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot instantiate generated class " + qualifiedName, e);
    }
  }

  /** Number of distinct classes compiled so far (for tests of the cache). */
  public static int cachedClasses() {
    return CACHE.size();
  }

  private static Class<?> compile(String qualifiedName, String source) {
    SimpleCompiler compiler = new SimpleCompiler();
    compiler.setParentClassLoader(GeneratedModel.class.getClassLoader());
    try {
      compiler.cook(source);
      return compiler.getClassLoader().loadClass(qualifiedName);
    } catch (CompileException | ClassNotFoundException e) {
      throw new IllegalStateException("generated code for " + qualifiedName
          + " does not compile: " + e.getMessage(), e);
    }
  }

  static String key(String qualifiedName, String source) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(qualifiedName.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
