/**
 * Algebraic simplification. In: a graph and roots (typically objective and gradients from
 * {@code diff}). Out: equivalent roots after the declarative rewrite rules of {@code Rules} have
 * been applied to a fixpoint, with a trace of the rules that fired. Holds afterwards: values are
 * unchanged (up to rounding, and except where a rule's caveat about NaN or infinities applies),
 * shapes are unchanged, and common subexpressions are shared.
 */
package org.gradc.simplify;
