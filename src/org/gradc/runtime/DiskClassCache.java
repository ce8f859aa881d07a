package org.gradc.runtime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A directory of compiled model classes that outlives the JVM, so that a command run again on
 * the same model skips planning, code generation and the Java compiler. An entry is found by a
 * key the caller makes from what determines the code ({@link #key}: the model's source text and
 * name, mixed with gradc's build and the JVM). Several processes may share a directory: an entry
 * is written to a temporary file and renamed into place, so a reader sees a whole entry or none;
 * an entry that cannot be read or defined (truncated, corrupted, from another format) is treated
 * as missing and written again. The directory is kept under a size bound by deleting the entries
 * used least recently. Only used when asked for: the command line opens one, the Java API does
 * not unless given one.
 */
public final class DiskClassCache {
  /** The default bound of a cache directory, in bytes. */
  public static final long DEFAULT_MAX_BYTES = 64L << 20;

  private static final String SUFFIX = ".gcc";
  private static final int MAGIC = 0x67726463; // "grdc"
  private static final int FORMAT = 1;
  /** Temporary files older than this are left over from a killed process and removed. */
  private static final long STALE_TEMP_MILLIS = 10 * 60 * 1000;
  private static final String BUILD = buildIdentity();

  private final Path dir;
  private final long maxBytes;

  private DiskClassCache(Path dir, long maxBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
  }

  /**
   * A cache in {@code dir} (created when the first entry is written).
   *
   * @param dir the directory; several processes may use the same one
   * @param maxBytes the most bytes its entries may take together
   * @return the cache
   */
  public static DiskClassCache open(Path dir, long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive, not " + maxBytes);
    }
    return new DiskClassCache(dir, maxBytes);
  }

  /**
   * The user's cache directory for gradc: {@code $XDG_CACHE_HOME/gradc}, or
   * {@code ~/.cache/gradc}.
   *
   * @return the directory (it may not exist yet)
   */
  public static Path defaultDirectory() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("gradc");
  }

  /**
   * The directory of this cache.
   *
   * @return the directory
   */
  public Path directory() {
    return dir;
  }

  /**
   * The key of the code determined by {@code parts}, for this build of gradc and this JVM (its
   * vendor, name and version): a different build or JVM never sees another's entries.
   *
   * @param parts what the generated code depends on (for a model: file name, text, model name)
   * @return the key
   */
  public static Key key(List<String> parts) {
    List<String> all = new ArrayList<>(List.of(String.valueOf(FORMAT), BUILD,
        System.getProperty("java.vm.vendor", ""), System.getProperty("java.vm.name", ""),
        System.getProperty("java.vm.version", "")));
    all.addAll(parts);
    StringBuilder material = new StringBuilder();
    for (String p : all) {
      material.append(p.length()).append(':').append(p);
    }
    String m = material.toString();
    return new Key(hash(m.getBytes(StandardCharsets.UTF_8)), m);
  }

  /**
   * The key of an entry: a hash that names its file, and the whole text it was made from, which
   * the entry repeats and a read compares (so two keys with the same hash never mix).
   *
   * @param name 32 hexadecimal digits
   * @param material the length-prefixed parts the hash is of
   */
  public record Key(String name, String material) {}

  /**
   * A 128-bit hash: two 64-bit FNV-style lanes, each finished by MurmurHash3's mixer. Not
   * cryptographic, and it need not be (entries are compared in full); it keeps the Java
   * security providers, which a message digest loads, out of a short command's start.
   */
  private static String hash(byte[] b) {
    long h1 = 0xcbf29ce484222325L;
    long h2 = 0x9e3779b97f4a7c15L;
    for (byte x : b) {
      h1 = (h1 ^ (x & 0xff)) * 0x100000001b3L;
      h2 = Long.rotateLeft(h2 ^ (x & 0xff), 31) * 0xc2b2ae3d27d4eb4fL;
    }
    HexFormat hex = HexFormat.of();
    return hex.toHexDigits(mix(h1 ^ b.length)) + hex.toHexDigits(mix(h2 + b.length));
  }

  private static long mix(long k) {
    k = (k ^ (k >>> 33)) * 0xff51afd7ed558ccdL;
    k = (k ^ (k >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return k ^ (k >>> 33);
  }

  /**
   * The model stored under {@code key}, or else the one {@code code} gives compiled and stored.
   *
   * @param key the entry's key, from {@link #key}
   * @param layout the model's layout (not stored: the caller has it without compiling)
   * @param code the qualified class name and Java source, made only on a miss
   * @return the loaded model
   */
  public LoadedModel load(Key key, LoadedModel.Layout layout, Supplier<Code> code) {
    VectorModule.warnIfAbsent();
    Path file = dir.resolve(key.name() + SUFFIX);
    Optional<Code> hit = read(file, key.material());
    if (hit.isPresent()) {
      Optional<GeneratedCode> model = define(hit.get());
      if (model.isPresent()) {
        touch(file);
        return new LoadedModel(layout, hit.get().qualifiedName(), hit.get().source(), model.get());
      }
    }
    ClassCompiler.warmUpInBackground();
    Code made = code.get();
    Map<String, byte[]> classes = JaninoCompiler.bytecode(made.qualifiedName(), made.source());
    Code compiled = new Code(made.qualifiedName(), made.source(), classes);
    GeneratedCode model = ClassCompiler.instantiate(
        ClassCompiler.define(made.qualifiedName(), classes));
    write(file, key.material(), compiled);
    return new LoadedModel(layout, made.qualifiedName(), made.source(), model);
  }

  /**
   * Generated code: the class name, its Java source and, once compiled, its class files.
   *
   * @param qualifiedName the binary name of the model class
   * @param source the Java source
   * @param classes the class files by binary name (empty before compilation)
   */
  public record Code(String qualifiedName, String source, Map<String, byte[]> classes) {
    /**
     * Copies the class map.
     *
     * @param qualifiedName the binary name of the model class
     * @param source the Java source
     * @param classes the class files by binary name
     */
    public Code {
      classes = Map.copyOf(classes);
    }

    /**
     * Code not compiled yet.
     *
     * @param qualifiedName the binary name of the model class
     * @param source the Java source
     */
    public Code(String qualifiedName, String source) {
      this(qualifiedName, source, Map.of());
    }
  }

  private static Optional<GeneratedCode> define(Code code) {
    try {
      return Optional.of(ClassCompiler.instantiate(
          ClassCompiler.define(code.qualifiedName(), code.classes())));
    } catch (LinkageError | IllegalStateException | ClassCastException e) {
      return Optional.empty(); // bytes that passed the checksum but are no class: compile again
    }
  }

  // ---- the entry file: magic, format, payload length, then the deflated payload: the key's
  // material, the class name, the Java source and the class files ----

  private static Optional<Code> read(Path file, String material) {
    try {
      byte[] all = Files.readAllBytes(file);
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(all));
      if (all.length < 12 || in.readInt() != MAGIC || in.readInt() != FORMAT) {
        return Optional.empty();
      }
      int size = in.readInt();
      if (size < 0 || size > 256 << 20) {
        return Optional.empty();
      }
      byte[] payload = new byte[size];
      Inflater inflater = new Inflater();
      try {
        inflater.setInput(all, 12, all.length - 12);
        if (inflater.inflate(payload) != size || !inflater.finished()) {
          return Optional.empty();
        }
      } finally {
        inflater.end();
      }
      DataInputStream entry = new DataInputStream(new ByteArrayInputStream(payload));
      return string(entry).equals(material) ? Optional.of(decode(entry)) : Optional.empty();
    } catch (IOException | DataFormatException | RuntimeException e) {
      return Optional.empty(); // missing, unreadable or damaged: a miss
    }
  }

  private static Code decode(DataInputStream in) throws IOException {
    String name = string(in);
    String source = string(in);
    int n = in.readInt();
    Map<String, byte[]> classes = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String c = string(in);
      byte[] b = new byte[in.readInt()];
      in.readFully(b);
      classes.put(c, b);
    }
    if (in.read() != -1) {
      throw new IOException("trailing bytes");
    }
    return new Code(name, source, classes);
  }

  private static String string(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] encode(String material, Code code) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    string(out, material);
    string(out, code.qualifiedName());
    string(out, code.source());
    out.writeInt(code.classes().size());
    for (Map.Entry<String, byte[]> c : code.classes().entrySet()) {
      string(out, c.getKey());
      out.writeInt(c.getValue().length);
      out.write(c.getValue());
    }
    out.flush();
    byte[] payload = bytes.toByteArray();
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    DataOutputStream head = new DataOutputStream(file);
    head.writeInt(MAGIC);
    head.writeInt(FORMAT);
    head.writeInt(payload.length);
    try {
      deflater.setInput(payload);
      deflater.finish();
      byte[] buf = new byte[8192];
      while (!deflater.finished()) {
        head.write(buf, 0, deflater.deflate(buf));
      }
    } finally {
      deflater.end();
    }
    head.flush();
    return file.toByteArray();
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  /** Writes an entry by renaming a finished temporary file; a cache that cannot be written is skipped. */
  private void write(Path file, String material, Code code) {
    Path tmp = dir.resolve(file.getFileName() + "." + ProcessHandle.current().pid() + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    try {
      Files.createDirectories(dir);
      Files.write(tmp, encode(material, code));
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      evict(file);
    } catch (IOException | RuntimeException e) {
      // a read-only or full disk costs speed, not correctness: the model is compiled already
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // nothing more to do
      }
    }
  }

  /** Marks an entry as used (eviction removes the least recently used first). */
  private static void touch(Path file) {
    try {
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException | RuntimeException e) {
      // a read-only cache still serves its entries
    }
  }

  private record Entry(Path path, long size, long modified) {}

  /**
   * Deletes the least recently used entries until the rest fit the bound ({@code keep}, just
   * written, stays), and temporary files a killed process left. Another process may be deleting
   * the same files: a file already gone is fine.
   */
  private void evict(Path keep) throws IOException {
    List<Entry> entries = new ArrayList<>();
    long total = 0;
    long now = System.currentTimeMillis();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path p : files) {
        String name = p.getFileName().toString();
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
          continue;
        }
        if (name.endsWith(SUFFIX)) {
          entries.add(new Entry(p, a.size(), a.lastModifiedTime().toMillis()));
          total += a.size();
        } else if (name.endsWith(".tmp") && now - a.lastModifiedTime().toMillis() > STALE_TEMP_MILLIS) {
          Files.deleteIfExists(p);
        }
      }
    }
    entries.sort(Comparator.comparingLong(Entry::modified));
    for (Entry e : entries) {
      if (total <= maxBytes) {
        break;
      }
      if (!e.path().equals(keep)) {
        Files.deleteIfExists(e.path());
        total -= e.size();
      }
    }
  }

  /**
   * What identifies this build of gradc: the jar (or class directory) the runtime was loaded
   * from, with its size and time of modification, so a rebuilt gradc never reads classes
   * generated by an older one.
   */
  private static String buildIdentity() {
    try {
      Path from = Path.of(DiskClassCache.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(from)) {
        // a class directory (tests, an IDE): its newest class file stands for the build
        try (var walk = Files.walk(from)) {
          return from + ":" + walk.filter(Files::isRegularFile)
              .mapToLong(p -> p.toFile().lastModified()).max().orElse(0);
        }
      }
      return from + ":" + Files.size(from) + ":" + Files.getLastModifiedTime(from).toMillis();
    } catch (IOException | URISyntaxException | RuntimeException e) {
      // unknown origin: a key no other run shares, so nothing stale is ever read
      return "unknown:" + System.nanoTime() + ":" + ProcessHandle.current().pid();
    }
  }

  /** Big-endian bytes of an int, for the key's length prefixes. */
  private static byte[] intBytes(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }
}
