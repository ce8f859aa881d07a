package org.gradc.runtime;

/**
 * What every generated class implements, in either precision: {@link GeneratedModel} computes
 * in {@code double}, {@link GeneratedFloatModel} in {@code float}. Generated classes are
 * stateless: all scratch space is in the workspace arrays the caller passes, laid out by
 * {@link #workspaceLayout()}. Arrays are flat and row-major, as described in
 * {@link CompiledModel}.
 */
public interface GeneratedCode {
  /**
   * The workspace arrays, separated by spaces: each is its per-example size followed by
   * {@code b} when it holds one block per example (then it needs {@code size * batchSize}
   * elements), e.g. {@code "4b 4b 1"}.
   *
   * @return the layout
   */
  String workspaceLayout();
}
