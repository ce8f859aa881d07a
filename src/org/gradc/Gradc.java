package org.gradc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gradc.diag.Diagnostics;
import org.gradc.diag.GradcException;
import org.gradc.diag.SourceFile;
import org.gradc.ir.Builtins;
import org.gradc.parse.SourceParser;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.DiskClassCache;
import org.gradc.sema.CheckedProgram;
import org.gradc.sema.Checker;

/** The façade: from {@code .grad} text to checked models and to compiled, loaded ones. */
public final class Gradc {
  private Gradc() {}

  /**
   * Parses and checks a file without compiling it: its models, each with every view the command
   * line shows (summary, gradients, explain, graph, Java) and its compiled form.
   *
   * @param file the source text and the name its diagnostics report
   * @return every model of the file, checked, in declaration order
   * @throws GradcException carrying every diagnostic when the source has errors
   */
  public static Program load(SourceFile file) {
    return new Program(check(file), null);
  }

  /**
   * Parses and checks a file like {@link #load(SourceFile)}; its models compile through a
   * persistent cache of compiled classes, so a model compiled before (by any process, from the
   * same file name, text and model, by the same build of gradc on the same JVM) loads without
   * planning or running the Java compiler.
   *
   * @param file the source text and the name its diagnostics report
   * @param cache the cache directory, e.g. {@code DiskClassCache.open(DiskClassCache.defaultDirectory(),
   *     DiskClassCache.DEFAULT_MAX_BYTES)}
   * @return every model of the file, checked, in declaration order
   * @throws GradcException carrying every diagnostic when the source has errors
   */
  public static Program load(SourceFile file, DiskClassCache cache) {
    return load(file, java.util.Objects.requireNonNull(cache, "cache"), false);
  }

  /**
   * Parses and checks a file as {@link #load(SourceFile)} does, optionally trusting the
   * {@code grad} clauses of defs: a clause the simplifier cannot prove equal to the body's
   * derivative is then used without comparing it with central differences (for rules meant to
   * differ, such as straight-through estimators).
   *
   * @param file the source text and the name its diagnostics report
   * @param trustRules skip the numeric check of grad clauses
   * @return every model of the file, checked, in declaration order
   * @throws GradcException carrying every diagnostic when the source has errors
   */
  public static Program load(SourceFile file, boolean trustRules) {
    return load(file, null, trustRules);
  }

  /**
   * Parses and checks a file with both choices of the other {@code load} methods.
   *
   * @param file the source text and the name its diagnostics report
   * @param cache the persistent class cache, or null to compile in this JVM only
   * @param trustRules skip the numeric check of grad clauses
   * @return every model of the file, checked, in declaration order
   * @throws GradcException carrying every diagnostic when the source has errors
   */
  public static Program load(SourceFile file, DiskClassCache cache, boolean trustRules) {
    return new Program(check(file, trustRules), cache);
  }

  /**
   * Parses and checks a file into the compiler's own representation (for the compiler's tools
   * and tests; applications use {@link #load(SourceFile)}).
   *
   * @param file the source text and the name its diagnostics report
   * @return every model of the file, checked, in declaration order
   * @throws GradcException carrying every diagnostic when the source has errors
   */
  public static CheckedProgram check(SourceFile file) {
    return check(file, false);
  }

  /**
   * Parses and checks a file, with or without the numeric check of grad clauses.
   *
   * @param file the source text and the name its diagnostics report
   * @param trustRules skip the numeric check of grad clauses
   * @return every model of the file, checked, in declaration order
   * @throws GradcException carrying every diagnostic when the source has errors
   */
  public static CheckedProgram check(SourceFile file, boolean trustRules) {
    Diagnostics diagnostics = new Diagnostics(file);
    var program = SourceParser.parse(file, diagnostics, Gradc::initializeTables);
    var checked = program.flatMap(p -> Checker.check(p, diagnostics));
    if (!diagnostics.hasErrors()) {
      checked.ifPresent(c -> RuleCheck.check(c, trustRules, diagnostics));
    }
    diagnostics.throwIfErrors();
    return checked.orElseThrow();
  }

  /**
   * Initializes the tables the checker reads first (the builtins, and the elementwise functions
   * they name): in a cold JVM their class initialization is a twentieth of a first compile, and
   * the thread that waits for the parser does it for nothing. Results do not depend on it.
   */
  private static void initializeTables() {
    Builtins.names();
  }

  /**
   * Compiles the first model of a source text to Java and loads it. Diagnostics name the file
   * {@code <source>}. Safe to call from several threads; compiled classes are cached by their
   * code, so compiling the same model again does not run the Java compiler again.
   *
   * @param source the {@code .grad} text
   * @return the loaded model
   * @throws GradcException carrying every diagnostic when the source has errors
   */
  public static CompiledModel compile(String source) {
    return compile(new SourceFile("<source>", source), null);
  }

  /**
   * Compiles the first model of a {@code .grad} file, read as {@link #read(Path)} reads it;
   * diagnostics name the file by {@code path}.
   *
   * @param path the file to compile
   * @return the loaded model
   * @throws IOException when the file cannot be read
   * @throws GradcException carrying every diagnostic when the source has errors
   */
  public static CompiledModel compile(Path path) throws IOException {
    return compile(read(path), null);
  }

  /**
   * Compiles the named model of a file. Every model of the file is checked, so an error in any
   * of them fails the call.
   *
   * @param file the source text and the name its diagnostics report
   * @param modelName the model to compile, or null for the first one
   * @return the loaded model
   * @throws GradcException with the diagnostics when the source has errors
   * @throws IllegalArgumentException when the file has no model of that name
   */
  public static CompiledModel compile(SourceFile file, String modelName) {
    // JavaPoet and Janino are needed last but cost the most to start: they warm up meanwhile
    Model.warmUpInBackground();
    return load(file).model(modelName).orElseThrow(() -> new IllegalArgumentException(
        "no model '" + modelName + "' in " + file.name())).compile();
  }

  /**
   * Reads a source file as UTF-8 (malformed bytes become U+FFFD and are reported as characters);
   * a leading byte-order mark is not part of the text.
   *
   * @param path the file to read; its string form is the name diagnostics report
   * @return the file's text under that name
   * @throws IOException when the file cannot be read
   */
  public static SourceFile read(Path path) throws IOException {
    String text = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
    return new SourceFile(path.toString(), text.startsWith("\uFEFF") ? text.substring(1) : text);
  }
}
