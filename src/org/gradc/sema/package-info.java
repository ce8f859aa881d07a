/**
 * Meaning. In: an {@link org.gradc.ast.Program}. Out: a {@link org.gradc.sema.CheckedProgram}
 * whose models are lowered to forward graphs, or every independent error as diagnostics. After
 * this phase, names are resolved, defs are expanded, and every value has a static shape.
 */
package org.gradc.sema;
