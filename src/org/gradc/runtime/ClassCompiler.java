package org.gradc.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Compiles generated source in memory with Janino and loads the class, each in its own class
 * loader. Compiled classes are cached by their code with the comments left out (so the same
 * model compiled from a file and from a string, whose comments name different sources, is
 * compiled once). That text itself is the key, compared whole: a message digest would load and
 * initialize the JDK's security providers at the first compilation of every JVM. The cache
 * keeps the {@link #CAPACITY} most recently used classes; an evicted class is unloaded by the
 * garbage collector once no model that uses it is reachable, so a long-running service that
 * compiles models from its users keeps its Metaspace bounded.
 */
public final class ClassCompiler {
  /** Classes kept; {@code -Dgradc.classCacheSize=N} changes it (0 turns the cache off). */
  public static final int CAPACITY = Math.max(0, Integer.getInteger("gradc.classCacheSize", 256));

  private static final Map<String, Class<?>> CACHE = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Class<?>> eldest) {
      return size() > CAPACITY;
    }
  };

  private static final AtomicBoolean WARMING = new AtomicBoolean();

  private ClassCompiler() {}

  /**
   * Starts warming up the Java compiler on a daemon thread, the first time in this JVM it is
   * called (later calls return at once): Janino's classes are loaded and a small class is
   * compiled. A caller that is about to parse, check and generate a model calls
   * this first, so that on a machine with a spare core its first compilation finds Janino
   * loaded instead of spending a third of a cold start on it. Nothing it does changes what any
   * compilation gives; the thread ends when the small class is compiled.
   */
  public static void warmUpInBackground() {
    warmUpInBackground(() -> { });
  }

  /**
   * Starts the warm-up of {@link #warmUpInBackground()}, whose thread first runs {@code before}
   * (the warm-up of what the caller needs earlier, such as the code generator's library), when
   * this is the first warm-up of this JVM.
   */
  public static void warmUpInBackground(Runnable before) {
    if (WARMING.compareAndSet(false, true)) {
      // a lambda, not a method reference: JaninoCompiler (and Janino) load on the new thread
      Thread t = new Thread(() -> {
        before.run();
        JaninoCompiler.warmUp();
      }, "gradc-compiler-warm-up");
      t.setDaemon(true);
      // a failure only loses the head start: the compilation that follows meets and reports it
      t.setUncaughtExceptionHandler((thread, e) -> { });
      t.start();
    }
  }

  /** A new instance of the generated model class {@code qualifiedName} defined by {@code source}. */
  public static GeneratedCode load(String qualifiedName, String source) {
    String key = key(qualifiedName, source);
    Class<?> c;
    synchronized (CACHE) {
      c = CACHE.get(key);
    }
    if (c == null) {
      // compiled outside the lock, so that threads compiling different models do not wait
      Class<?> compiled = compile(qualifiedName, source);
      synchronized (CACHE) {
        c = CACHE.putIfAbsent(key, compiled);
        if (c == null) {
          c = compiled;
        }
      }
    }
    return instantiate(c);
  }

  /** Number of classes Janino has compiled in this JVM so far (cache misses). */
  public static long compilations() {
    return JaninoCompiler.COMPILATIONS.get();
  }

  private static Class<?> compile(String qualifiedName, String source) {
    return define(qualifiedName, JaninoCompiler.bytecode(qualifiedName, source));
  }

  /**
   * Defines class files in a class loader of their own and returns {@code qualifiedName}.
   *
   * @throws LinkageError when the bytes are not valid class files
   */
  static Class<?> define(String qualifiedName, Map<String, byte[]> classes) {
    ClassLoader loader = new ClassLoader(GeneratedCode.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] b = classes.get(name);
        if (b == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, b, 0, b.length);
      }
    };
    try {
      return loader.loadClass(qualifiedName);
    } catch (ClassNotFoundException e) {
      throw new NoClassDefFoundError(qualifiedName);
    }
  }

  /** A new instance of a generated model class. */
  static GeneratedCode instantiate(Class<?> c) {
    try {
      return (GeneratedCode) c.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot instantiate generated class " + c.getName(), e);
    }
  }

  /** The cache key: the class name and the code without its comments. */
  static String key(String qualifiedName, String source) {
    return qualifiedName + '\0' + withoutComments(source);
  }

  /** Java source with its {@code //} and {@code /* *\/} comments removed (string literals kept). */
  static String withoutComments(String source) {
    StringBuilder b = new StringBuilder(source.length());
    int n = source.length();
    for (int i = 0; i < n; i++) {
      char c = source.charAt(i);
      if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < n && source.charAt(j) != c) {
          j += source.charAt(j) == '\\' ? 2 : 1;
        }
        j = Math.min(j, n - 1);
        b.append(source, i, j + 1);
        i = j;
      } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
        while (i < n && source.charAt(i) != '\n') {
          i++;
        }
        b.append('\n');
      } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 1;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
