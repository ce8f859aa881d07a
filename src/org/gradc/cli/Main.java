package org.gradc.cli;

import java.io.PrintStream;

/** Command-line entry point. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs gradc with the given arguments; returns the exit status (0 ok, 1 user error, 2 usage). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    err.println("gradc: not built yet");
    return 2;
  }
}
