/**
 * Scheduling. In: a checked model. Out: a {@link org.gradc.lower.Plan}: the simplified objective,
 * gradients and outputs as an ordered list of kernels (fused elementwise loops, batched matrix
 * products, reductions) over flat buffers with known storage, each kernel's loops chosen and the
 * kernels grouped into the calls of each entry point: the final schedule, which code generation
 * only writes down. Holds afterwards: every kernel reads only values stored by earlier kernels or
 * by the caller, and writes every element of its output.
 */
package org.gradc.lower;
