package org.gradc.ir;

/**
 * A static shape error found while building a node. The message names the shapes involved but
 * carries no source position; the caller attaches the position of the offending expression.
 */
public final class ShapeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ShapeException(String message) {
    super(message);
  }
}
