package org.gradc.parse;

import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.gradc.diag.SourceFile;
import org.gradc.diag.Span;

/**
 * Positions of ANTLR tokens and rule contexts as {@link Span}s. ANTLR counts code points and only
 * {@code \n} line ends; spans hold UTF-16 offsets and take their line and column from the
 * {@link SourceFile}, so a lone {@code \r} ends a line and columns count code points.
 */
final class Tokens {
  private Tokens() {}

  static Span span(SourceFile file, Token token) {
    int start = file.offsetOfCodePoint(token.getStartIndex());
    int end = token.getType() == Token.EOF ? start : file.offsetOfCodePoint(token.getStopIndex() + 1);
    return file.span(start, Math.max(start, end));
  }

  static Span span(SourceFile file, ParserRuleContext ctx) {
    Span first = span(file, ctx.getStart());
    Token stop = ctx.getStop() != null ? ctx.getStop() : ctx.getStart();
    int end = stop.getType() == Token.EOF ? first.start() : file.offsetOfCodePoint(stop.getStopIndex() + 1);
    return new Span(first.start(), Math.max(first.start(), end), first.line(), first.col());
  }

  /** A character for a message: visible ones quoted, invisible and control ones as a code point. */
  static String describeChar(String text) {
    int cp = text.codePointAt(0);
    int type = Character.getType(cp);
    if (Character.isISOControl(cp) || !Character.isDefined(cp) || Character.isWhitespace(cp)
        || Character.isSpaceChar(cp) || type == Character.FORMAT || type == Character.SURROGATE
        || type == Character.PRIVATE_USE) {
      return cp <= 0xFFFF ? String.format("U+%04X", cp) : String.format("U+%X", cp);
    }
    return "'" + text + "'";
  }
}
