/**
 * {@code gradc explain}: the backpropagation story of a model. In: a checked model, its
 * simplified {@link org.gradc.diff.Gradients} (the same as {@code gradc grad}) and optionally
 * {@link org.gradc.explain.Values} (parameters and a batch, the JSON of {@code gradc eval}). Out:
 * an {@link org.gradc.explain.Explanation} (forward equations, loss, error signals δ layer by
 * layer, parameter gradients, operation counts; with values the reference evaluator's numbers at
 * every step), rendered by {@link org.gradc.explain.StoryWriter} as Unicode text or Markdown with
 * LaTeX. Every equation is printed from a node of the gradient graph and every number is the
 * value of that node, so the story cannot drift from what is differentiated.
 */
package org.gradc.explain;
