package org.gradc.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.gradc.Gradc;

/**
 * The first {@code Gradc.compile} of a cold JVM, timed in-process: run it as a fresh
 * {@code java -cp} process (gradc's jar, its runtime dependencies and these classes) once per
 * measurement. Prints the milliseconds from the call to the loaded model, so the JVM's own
 * start and exit are not counted; class loading, parsing, differentiation, generating the Java
 * source and Janino's first compilation are.
 */
public final class FirstCompile {
  private FirstCompile() {}

  /**
   * Compiles the file and prints the time it took.
   *
   * @param args the {@code .grad} file to compile
   * @throws IOException when the file cannot be read
   */
  public static void main(String[] args) throws IOException {
    long start = System.nanoTime();
    Gradc.compile(Path.of(args[0]));
    System.out.println((System.nanoTime() - start) / 1e6);
  }
}
