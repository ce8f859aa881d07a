/**
 * Java code generation with JavaPoet. In: a {@link org.gradc.lower.Plan}. Out: the source text of
 * one {@code public final class} per model implementing {@link org.gradc.runtime.GeneratedModel}
 * (JavaPoet types never leave this package). Holds afterwards: the text is deterministic, accepted
 * by Janino and javac, uses DSL names (mangled where Java requires), and has no method near the
 * JIT's 8,000-byte limit.
 */
package org.gradc.codegen;
