/**
 * Text to AST. In: a {@link org.gradc.diag.SourceFile}. Out: an {@link org.gradc.ast.Program}, or
 * diagnostics for lexical and syntax errors (several per run where recovery allows). ANTLR's
 * generated types ({@code org.gradc.parse.antlr}) never leave this package.
 */
package org.gradc.parse;
