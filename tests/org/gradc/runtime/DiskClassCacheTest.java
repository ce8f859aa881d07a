package org.gradc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gradc.Gradc;
import org.gradc.diag.SourceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The persistent class cache: a second compile of the same model reads the class instead of
 * compiling it, a damaged entry is ignored and written again, processes share a directory
 * safely, and the directory stays within its bound.
 */
class DiskClassCacheTest {
  private static final String MODEL = """
      model Line {
        input x[2]
        target y
        param w[2] = [%s, -0.25]
        yhat = sigmoid(dot(x, w))
        output yhat
        loss mse(yhat, y)
      }
      """;

  @TempDir
  Path dir;

  private static SourceFile source(String w) {
    return new SourceFile("line.grad", String.format(MODEL, w));
  }

  private static CompiledModel compile(DiskClassCache cache, String w) {
    return Gradc.load(source(w), cache).models().get(0).compile();
  }

  private static double[] gradient(CompiledModel m) {
    double[] g = new double[m.parameterCount()];
    double loss = m.lossAndGradient(m.initialParameters(1), new double[] {1, 2, -1, 0.5},
        new double[] {1, 0}, 2, g);
    double[] out = new double[g.length + 1];
    System.arraycopy(g, 0, out, 0, g.length);
    out[g.length] = loss;
    return out;
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void secondCompileIsAHitWithTheSameModel() throws IOException {
    DiskClassCache cache = DiskClassCache.open(dir, DiskClassCache.DEFAULT_MAX_BYTES);
    long before = ClassCompiler.compilations();
    CompiledModel first = compile(cache, "0.5");
    assertEquals(before + 1, ClassCompiler.compilations(), "a miss compiles");
    assertEquals(1, files().size(), files().toString());
    assertTrue(files().get(0).getFileName().toString().endsWith(".gcc"));
    CompiledModel second = compile(cache, "0.5");
    assertEquals(before + 1, ClassCompiler.compilations(), "a hit does not compile");
    assertArrayEquals(gradient(first), gradient(second));
    assertEquals(first.javaSource(), second.javaSource());
    // another model text is another key
    compile(cache, "0.75");
    assertEquals(before + 2, ClassCompiler.compilations());
    assertEquals(2, files().size());
  }

  @Test
  void eachPrecisionIsAnEntryOfItsOwn() throws IOException {
    DiskClassCache cache = DiskClassCache.open(dir, DiskClassCache.DEFAULT_MAX_BYTES);
    CompiledModel f64 = compile(cache, "0.5");
    long before = ClassCompiler.compilations();
    CompiledModel f32 = Gradc.load(source("0.5"), cache).models().get(0).compile(Precision.F32);
    assertEquals(before + 1, ClassCompiler.compilations(), "f32 is another class");
    assertEquals(2, files().size(), files().toString());
    CompiledModel again = Gradc.load(source("0.5"), cache).models().get(0).compile(Precision.F32);
    assertEquals(before + 1, ClassCompiler.compilations(), "a hit does not compile");
    assertEquals(Precision.F32, again.precision());
    assertEquals(Precision.F64, f64.precision());
    assertArrayEquals(gradient(f32), gradient(again));
    assertTrue(again.javaSource().contains("implements GeneratedFloatModel"));
  }

  @Test
  void damagedEntriesAreIgnoredAndWrittenAgain() throws IOException {
    DiskClassCache cache = DiskClassCache.open(dir, DiskClassCache.DEFAULT_MAX_BYTES);
    double[] expected = gradient(compile(cache, "0.5"));
    Path entry = files().get(0);
    byte[] good = Files.readAllBytes(entry);
    List<byte[]> damaged = new ArrayList<>();
    damaged.add(new byte[0]);
    damaged.add(java.util.Arrays.copyOf(good, good.length / 2)); // a truncated write
    byte[] flipped = good.clone();
    flipped[good.length - 3] ^= 0x5a; // a bit error in the compressed class files
    damaged.add(flipped);
    damaged.add("not a cache entry at all".getBytes(StandardCharsets.UTF_8));
    byte[] otherFormat = good.clone();
    otherFormat[7] = 99; // a format this build does not read
    damaged.add(otherFormat);
    for (byte[] bad : damaged) {
      Files.write(entry, bad);
      long before = ClassCompiler.compilations();
      assertArrayEquals(expected, gradient(compile(cache, "0.5")));
      assertEquals(before + 1, ClassCompiler.compilations(), "a damaged entry is a miss");
      assertArrayEquals(good, Files.readAllBytes(entry), "and is written again");
      compile(cache, "0.5");
      assertEquals(before + 1, ClassCompiler.compilations(), "after which it is a hit");
    }
  }

  @Test
  void theBoundIsRespectedAndTheLeastRecentlyUsedGoFirst() throws IOException, InterruptedException {
    compile(DiskClassCache.open(dir, DiskClassCache.DEFAULT_MAX_BYTES), "0.5");
    long entrySize = Files.size(files().get(0));
    long bound = 3 * entrySize + entrySize / 2;
    DiskClassCache cache = DiskClassCache.open(dir, bound);
    for (int i = 1; i <= 12; i++) {
      compile(cache, "0." + i);
      if (i == 6) {
        Thread.sleep(20);
        compile(cache, "0.5"); // used again: the oldest entry becomes a recent one
      }
      long total = 0;
      for (Path p : files()) {
        total += Files.size(p);
      }
      assertTrue(total <= bound, "cache holds " + total + " bytes, bound " + bound);
      Thread.sleep(20); // distinct modification times
    }
    assertEquals(3, files().size(), files().toString());
    long before = ClassCompiler.compilations();
    compile(cache, "0.12");
    assertEquals(before, ClassCompiler.compilations(), "the newest entry was kept");
    compile(cache, "0.1");
    assertEquals(before + 1, ClassCompiler.compilations(), "the oldest was evicted");
  }

  @Test
  void anUnwritableDirectoryCostsSpeedNotCorrectness() throws IOException {
    Path file = dir.resolve("a-file");
    Files.writeString(file, "");
    DiskClassCache cache = DiskClassCache.open(file.resolve("cache"), DiskClassCache.DEFAULT_MAX_BYTES);
    long before = ClassCompiler.compilations();
    assertEquals(2, compile(cache, "0.5").parameterCount());
    compile(cache, "0.5");
    assertEquals(before + 2, ClassCompiler.compilations());
  }

  @Test
  void keysDependOnEveryPart() {
    DiskClassCache.Key k = DiskClassCache.key(List.of("a", "bc"));
    assertEquals(32, k.name().length());
    assertEquals(k, DiskClassCache.key(List.of("a", "bc")));
    assertFalse(k.name().equals(DiskClassCache.key(List.of("ab", "c")).name()), "parts are delimited");
    assertFalse(k.name().equals(DiskClassCache.key(List.of("a", "bd")).name()));
  }

  /** An entry whose file name matches but whose key does not (a hash collision) is a miss. */
  @Test
  void anEntryForAnotherKeyUnderTheSameNameIsAMiss() throws IOException {
    DiskClassCache cache = DiskClassCache.open(dir, DiskClassCache.DEFAULT_MAX_BYTES);
    compile(cache, "0.5");
    compile(cache, "0.75");
    List<Path> two = files();
    byte[] other = Files.readAllBytes(two.get(1));
    double[] expected = gradient(compile(cache, "0.5"));
    for (Path p : two) {
      // put one model's entry under both names: one of them now holds the wrong model
      Files.write(p, other);
    }
    long before = ClassCompiler.compilations();
    assertArrayEquals(expected, gradient(compile(cache, "0.5")));
    compile(cache, "0.75");
    assertEquals(before + 1, ClassCompiler.compilations(), "exactly the mismatched entry was compiled again");
  }

  /**
   * Several command-line processes at once on one directory and one model: all print the same
   * result, one whole entry is left and no temporary file; a later process reads it without
   * loading the Java compiler at all.
   */
  @Test
  void concurrentProcessesShareTheDirectory() throws IOException, InterruptedException {
    Path grad = dir.resolve("xor.grad");
    Files.copy(Path.of("examples/xor.grad"), grad);
    Path cacheDir = dir.resolve("cache");
    List<Process> running = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      running.add(gradc(cacheDir, dir.resolve("out" + i), "eval", grad.toString(), "--values",
          "tests/resources/explain/xor.json"));
    }
    String expected = null;
    for (int i = 0; i < running.size(); i++) {
      assertTrue(running.get(i).waitFor(300, TimeUnit.SECONDS), "process " + i + " finished");
      String out = Files.readString(dir.resolve("out" + i));
      assertEquals(0, running.get(i).exitValue(), out);
      expected = expected == null ? out : expected;
      assertEquals(expected, out);
    }
    assertTrue(expected.contains("\"loss\" : "), expected);
    List<String> left;
    try (Stream<Path> s = Files.list(cacheDir)) {
      left = s.map(p -> p.getFileName().toString()).toList();
    }
    assertEquals(1, left.size(), left.toString());
    assertTrue(left.get(0).endsWith(".gcc"), left.toString());
    Process hit = gradc(cacheDir, dir.resolve("hit"), "-Xlog:class+load", "eval", grad.toString(),
        "--values", "tests/resources/explain/xor.json");
    assertTrue(hit.waitFor(300, TimeUnit.SECONDS));
    String log = Files.readString(dir.resolve("hit"));
    assertEquals(0, hit.exitValue(), log);
    assertTrue(log.contains(expected), log);
    assertTrue(log.contains("org.gradc.runtime.DiskClassCache "), "the cache was used");
    assertFalse(log.contains("org.codehaus.janino.SimpleCompiler "), "a hit loads no compiler");
    assertFalse(log.contains("com.palantir.javapoet"), "nor the code generator");
  }

  /** {@code GRADC_CACHE=off} turns the cache off: nothing is written. */
  @Test
  void theEnvironmentTurnsItOff() throws IOException, InterruptedException {
    Path cacheDir = dir.resolve("cache");
    Process p = gradc(cacheDir, dir.resolve("out"), "eval", "examples/xor.grad", "--values",
        "tests/resources/explain/xor.json");
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    assertTrue(Files.isDirectory(cacheDir), "on by default");
    Path offDir = dir.resolve("off");
    ProcessBuilder pb = command(offDir, dir.resolve("out-off"), "eval", "examples/xor.grad",
        "--values", "tests/resources/explain/xor.json");
    pb.environment().put("GRADC_CACHE", "off");
    Process off = pb.start();
    assertTrue(off.waitFor(300, TimeUnit.SECONDS));
    assertEquals(0, off.exitValue(), Files.readString(dir.resolve("out-off")));
    assertEquals(Files.readString(dir.resolve("out")), Files.readString(dir.resolve("out-off")));
    assertFalse(Files.exists(offDir), "GRADC_CACHE=off writes no cache");
  }

  /** {@code gradc ARGS} in a new JVM with the cache in {@code cacheDir}; output (both streams) to {@code out}. */
  private static Process gradc(Path cacheDir, Path out, String... args) throws IOException {
    return command(cacheDir, out, args).start();
  }

  private static ProcessBuilder command(Path cacheDir, Path out, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dgradc.portableGemm=true"));
    int i = 0;
    while (i < args.length && args[i].startsWith("-X")) {
      cmd.add(args[i++]);
    }
    cmd.add("org.gradc.cli.Main");
    cmd.addAll(List.of(args).subList(i, args.length));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("GRADC_CACHE_DIR", cacheDir.toString());
    pb.environment().remove("GRADC_CACHE");
    return pb;
  }
}
