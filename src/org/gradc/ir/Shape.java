package org.gradc.ir;

import java.util.Arrays;

/**
 * The static per-example shape of a tensor, without the implicit batch axis. Graph nodes have
 * rank 0 (scalar), 1 (vector), 2 (matrix), 3 (an image [C, H, W]) or 4 (a convolution's filters
 * [F, C, K, K]) and positive dimensions; the factories of {@link GraphBuilder} reject other
 * shapes, so a front end may build any shape and check it itself.
 */
public record Shape(int[] dims) {
  public static final Shape SCALAR = new Shape(new int[0]);

  /** The highest rank a graph node may have. */
  public static final int MAX_RANK = 4;

  public Shape {
    dims = dims.clone();
    for (int d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException("dimension " + d + " is negative");
      }
    }
  }

  public static Shape of(int... dims) {
    return dims.length == 0 ? SCALAR : new Shape(dims);
  }

  public int rank() {
    return dims.length;
  }

  public int dim(int i) {
    return dims[i];
  }

  /**
   * The most elements one tensor may have (2^26 doubles, 512 MiB): far beyond the networks this
   * compiler is for, and safely inside Java's array and int limits even times a batch.
   */
  public static final long MAX_ELEMENTS = 1L << 26;

  /** The number of elements, exactly, whatever the dimensions. */
  public long elements() {
    long n = 1;
    for (int d : dims) {
      if (d > 0 && n > Long.MAX_VALUE / d) {
        return Long.MAX_VALUE;
      }
      n *= d;
    }
    return n;
  }

  public int size() {
    int n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  public boolean isScalar() {
    return dims.length == 0;
  }

  /** The shape with the two axes swapped; vectors and scalars are returned unchanged. */
  public Shape transposed() {
    return rank() == 2 ? of(dims[1], dims[0]) : this;
  }

  @Override
  public int[] dims() {
    return dims.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(dims[i]);
    }
    return sb.append(']').toString();
  }
}
