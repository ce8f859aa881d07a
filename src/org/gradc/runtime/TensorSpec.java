package org.gradc.runtime;

import java.util.Arrays;

/**
 * Where one named tensor lives in a flat vector: its DSL name (layer parameters as {@code h.W}),
 * its shape (empty for a scalar), and its offset and size in row-major order. Immutable: the
 * shape is copied in and out. Equal when name, shape, offset and size are.
 *
 * @param name the name in the model text; a layer's parameters are {@code h.W} and {@code h.b}
 * @param shape the dimensions, e.g. {@code [2, 4]} for a matrix (empty for a scalar)
 * @param offset the index of the first element: in the parameter vector for a parameter, within
 *     one example's row for an input, target or output
 * @param size the number of scalars, the product of the dimensions (1 for a scalar)
 */
public record TensorSpec(String name, int[] shape, int offset, int size) {
  /**
   * Copies {@code shape}, so a later change to the caller's array does not show here.
   *
   * @param name the name in the model text
   * @param shape the dimensions (copied)
   * @param offset the index of the first element in its flat vector
   * @param size the number of scalars
   */
  public TensorSpec {
    shape = shape.clone();
  }

  /**
   * The dimensions, row-major: element {@code (i, j)} of an {@code [m, n]} matrix is at
   * {@code offset + i * n + j}.
   *
   * @return a copy of the shape (empty for a scalar)
   */
  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t && t.name.equals(name) && Arrays.equals(t.shape, shape)
        && t.offset == offset && t.size == size;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape) + "@" + offset;
  }
}
