package org.gradc.explain;

/** A problem in what the user gave {@code gradc explain} (bad values file); exit status 1. */
public final class ExplainException extends RuntimeException {
  public ExplainException(String message) {
    super(message);
  }
}
