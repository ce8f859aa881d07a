package org.gradc.runtime;

import java.util.Arrays;

/**
 * Where one named tensor lives in a flat vector: its DSL name (layer parameters as {@code h.W}),
 * its shape (empty for a scalar), and its offset and size in row-major order.
 */
public record TensorSpec(String name, int[] shape, int offset, int size) {
  public TensorSpec {
    shape = shape.clone();
  }

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
