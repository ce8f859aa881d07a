/**
 * Reverse-mode symbolic differentiation. In: a graph, a per-example scalar loss and its
 * parameters. Out: {@link org.gradc.diff.Gradients} (batch-mean objective, one unbatched gradient
 * node per parameter, the adjoint of every differentiated node), built in the same graph. Holds
 * afterwards: the gradient graph is at most a constant factor larger than the forward graph, and
 * forward values are reused by the derivative rules.
 */
package org.gradc.diff;
