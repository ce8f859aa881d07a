package org.gradc.runtime;

/**
 * The scratch arrays of one thread for one model, laid out by
 * {@link GeneratedModel#workspaceLayout()}. Per-example arrays are sized for the largest batch
 * seen so far and reallocated only when a larger batch arrives.
 */
final class Workspace {
  private final int[] sizes;
  private final boolean[] batched;
  private final double[][] arrays;
  private int capacity;
  private double[] zeroTargets = new double[0];
  /** The thread this workspace belongs to. */
  final Thread owner = Thread.currentThread();

  Workspace(int[] sizes, boolean[] batched) {
    this.sizes = sizes;
    this.batched = batched;
    this.arrays = new double[sizes.length][];
    for (int i = 0; i < sizes.length; i++) {
      arrays[i] = new double[batched[i] ? 0 : sizes[i]];
    }
  }

  /** The arrays, large enough for {@code batchSize} examples. */
  double[][] forBatch(int batchSize) {
    if (batchSize > capacity) {
      for (int i = 0; i < sizes.length; i++) {
        if (batched[i]) {
          arrays[i] = new double[Math.multiplyExact(sizes[i], batchSize)];
        }
      }
      capacity = batchSize;
    }
    return arrays;
  }

  /** Zero targets for predictions whose outputs read a target. */
  double[] zeroTargets(int length) {
    if (zeroTargets.length < length) {
      zeroTargets = new double[length];
    }
    return zeroTargets;
  }

  /** Parses a layout such as {@code "4b 4b 1"}: sizes, and whether each is per example. */
  static Workspace parse(String layout) {
    String[] parts = layout.isBlank() ? new String[0] : layout.trim().split(" +");
    int[] sizes = new int[parts.length];
    boolean[] batched = new boolean[parts.length];
    for (int i = 0; i < parts.length; i++) {
      batched[i] = parts[i].endsWith("b");
      sizes[i] = Integer.parseInt(batched[i] ? parts[i].substring(0, parts[i].length() - 1) : parts[i]);
    }
    return new Workspace(sizes, batched);
  }
}
