/**
 * The expression graph. In: shapes and values from {@code sema} through the {@link
 * org.gradc.ir.Graph} factory and {@link org.gradc.ir.Builtins}. Out: immutable, interned
 * {@link org.gradc.ir.Node}s on whole tensors with static per-example shapes and an implicit batch
 * axis; the {@link org.gradc.ir.Evaluator} reference interpreter; text and DOT printers. Holds
 * afterwards: every node's shape is checked, equal nodes are the same instance, ids are a
 * topological order.
 */
package org.gradc.ir;
