/**
 * Running generated code. In: generated Java source and the model's layout. Out: a
 * {@link org.gradc.runtime.CompiledModel} whose class Janino compiled in memory (cached by source
 * hash), with parameter initialization and per-thread workspaces. Holds afterwards: compiled
 * models are immutable and safe to call from several threads.
 */
package org.gradc.runtime;
