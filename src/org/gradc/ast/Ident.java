package org.gradc.ast;

import org.gradc.diag.Span;

/** A user-written name and where it was written. */
public record Ident(String text, Span span) {}
