package org.gradc.lower;

/**
 * Where a materialized value lives while the generated code runs. Batched values hold one block
 * per example; {@code stride} is the distance between the blocks of consecutive examples.
 */
public sealed interface Storage {
  /** The call arguments a value can live in. */
  enum Array {
    /** The flat parameter vector. */
    THETA,
    /** The batch of inputs, one example after another. */
    INPUTS,
    /** The batch of targets. */
    TARGETS,
    /** The gradient vector the caller passes in (same layout as theta). */
    GRAD,
    /** The predictions the caller receives, one example after another. */
    OUT
  }

  /**
   * A slice of a call argument.
   *
   * @param offset first element of example 0
   * @param stride elements per example (the width of the whole example), 0 for unbatched values
   */
  record Arg(Array array, int offset, int stride) implements Storage {}

  /** Workspace array {@code index} of {@link Plan#buffers()}; its stride is the value's size. */
  record Buffer(int index) implements Storage {}

  /** Constant array {@code index} of {@link Plan#constants()}. */
  record Constant(int index) implements Storage {}

  /** A number literal or the batch size: no storage, rendered inline. */
  record Inline() implements Storage {}
}
