/**
 * Java code generation with JavaPoet. In: a {@link org.gradc.lower.Plan}. Out: the source text of
 * one {@code public final class} per model implementing {@link org.gradc.runtime.GeneratedModel}
 * (JavaPoet types never leave this package). It makes no scheduling decision: fusion, loops, GEMM
 * calls and fused runs come from the plan; it only splits methods by size. Holds afterwards: the
 * text is deterministic, accepted by Janino and javac, uses DSL names (mangled where Java
 * requires), and has no method near the JIT's 8,000-byte limit.
 */
package org.gradc.codegen;
