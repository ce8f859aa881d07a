package org.gradc.runtime;

import java.util.Optional;

/**
 * The element type a model is compiled to: parameters, activations and gradients are stored and
 * computed in it. {@link #F64} ({@code double}) is the default; {@link #F32} ({@code float}) is
 * what PyTorch trains in by default.
 */
public enum Precision {
  /** 64-bit {@code double}: the default, and the precision of the reference evaluator. */
  F64("f64"),
  /** 32-bit {@code float}: half the memory traffic, about 7 significant digits. */
  F32("f32");

  private final String text;

  Precision(String text) {
    this.text = text;
  }

  /**
   * The name in the language and on the command line.
   *
   * @return {@code f64} or {@code f32}
   */
  public String text() {
    return text;
  }

  /**
   * The precision named {@code text}.
   *
   * @param text {@code f64} or {@code f32}
   * @return the precision, or empty for any other text
   */
  public static Optional<Precision> parse(String text) {
    for (Precision p : values()) {
      if (p.text.equals(text)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return text;
  }
}
