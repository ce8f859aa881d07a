/**
 * The syntax tree: immutable records with source spans, exactly as written (defs not yet
 * expanded, names not yet resolved). Produced by {@code parse}, consumed by {@code sema}.
 */
package org.gradc.ast;
