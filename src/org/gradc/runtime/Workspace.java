package org.gradc.runtime;

/**
 * The scratch arrays of one thread for one model, laid out by
 * {@link GeneratedCode#workspaceLayout()}, in the model's precision; and the arrays that hold
 * values converted at the boundary when a caller exchanges the other element type. Per-example
 * arrays are sized for the largest batch seen so far and reallocated only when a larger batch
 * arrives, so warm calls allocate nothing.
 */
final class Workspace {
  /** Boundary arrays: one per argument of an entry point. */
  static final int THETA = 0;
  static final int INPUTS = 1;
  static final int TARGETS = 2;
  static final int RESULT = 3;

  private final int[] sizes;
  private final boolean[] batched;
  private final double[][] doubles;
  private final float[][] floats;
  private int capacity;
  private final double[][] doubleExchange = new double[4][0];
  private final float[][] floatExchange = new float[4][0];
  /** The thread this workspace belongs to. */
  final Thread owner = Thread.currentThread();

  Workspace(int[] sizes, boolean[] batched, Precision precision) {
    this.sizes = sizes;
    this.batched = batched;
    boolean f32 = precision == Precision.F32;
    this.doubles = f32 ? null : new double[sizes.length][];
    this.floats = f32 ? new float[sizes.length][] : null;
    allocate(0);
  }

  /** The double arrays of an f64 model, large enough for {@code batchSize} examples. */
  double[][] forBatch(int batchSize) {
    grow(batchSize);
    return doubles;
  }

  /** The float arrays of an f32 model, large enough for {@code batchSize} examples. */
  float[][] floatsForBatch(int batchSize) {
    grow(batchSize);
    return floats;
  }

  private void grow(int batchSize) {
    if (batchSize > capacity) {
      allocate(batchSize);
      capacity = batchSize;
    }
  }

  /** (Re)allocates the per-example arrays for {@code batchSize}; the others only at first. */
  private void allocate(int batchSize) {
    for (int i = 0; i < sizes.length; i++) {
      if (batched[i] || batchSize == 0) {
        int n = batched[i] ? Math.multiplyExact(sizes[i], batchSize) : sizes[i];
        if (doubles != null) {
          doubles[i] = new double[n];
        } else {
          floats[i] = new float[n];
        }
      }
    }
  }

  /**
   * Boundary array {@code slot} of at least {@code n} floats, holding {@code from}'s first
   * {@code n} values rounded to float (zeros when {@code from} is null).
   */
  float[] narrow(int slot, double[] from, int n) {
    float[] to = floatExchange[slot];
    if (to.length < n) {
      to = new float[n];
      floatExchange[slot] = to;
    }
    if (from != null) {
      for (int i = 0; i < n; i++) {
        to[i] = (float) from[i];
      }
    } else {
      java.util.Arrays.fill(to, 0, n, 0f);
    }
    return to;
  }

  /**
   * Boundary array {@code slot} of at least {@code n} doubles, holding {@code from}'s first
   * {@code n} values (zeros when {@code from} is null).
   */
  double[] widen(int slot, float[] from, int n) {
    double[] to = doubleExchange[slot];
    if (to.length < n) {
      to = new double[n];
      doubleExchange[slot] = to;
    }
    if (from != null) {
      for (int i = 0; i < n; i++) {
        to[i] = from[i];
      }
    } else {
      java.util.Arrays.fill(to, 0, n, 0.0);
    }
    return to;
  }

  /** Zero targets for predictions whose outputs read a target. */
  double[] zeroTargets(int length) {
    return widen(TARGETS, null, length);
  }

  /** Zero float targets for predictions whose outputs read a target. */
  float[] zeroFloatTargets(int length) {
    return narrow(TARGETS, null, length);
  }

  /**
   * Parses a layout such as {@code "4b 4b 1"}: sizes, and whether each is per example; the
   * arrays are of {@code precision}'s element type.
   */
  static Workspace parse(String layout, Precision precision) {
    String[] parts = layout.isBlank() ? new String[0] : layout.trim().split(" +");
    int[] sizes = new int[parts.length];
    boolean[] batched = new boolean[parts.length];
    for (int i = 0; i < parts.length; i++) {
      batched[i] = parts[i].endsWith("b");
      sizes[i] = Integer.parseInt(batched[i] ? parts[i].substring(0, parts[i].length() - 1) : parts[i]);
    }
    return new Workspace(sizes, batched, precision);
  }
}
