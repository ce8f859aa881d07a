package org.gradc.parse;

import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.gradc.diag.Span;

/** Positions of ANTLR tokens and rule contexts as {@link Span}s. */
final class Tokens {
  private Tokens() {}

  static Span span(Token token) {
    int start = token.getStartIndex();
    int end = token.getType() == Token.EOF ? start : token.getStopIndex() + 1;
    return new Span(start, Math.max(start, end), token.getLine(), token.getCharPositionInLine() + 1);
  }

  static Span span(ParserRuleContext ctx) {
    Span first = span(ctx.getStart());
    Token stop = ctx.getStop() != null ? ctx.getStop() : ctx.getStart();
    return new Span(first.start(), Math.max(first.start(), stop.getStopIndex() + 1), first.line(),
        first.col());
  }

  /** A character for a message: printable ones quoted, others as a code point. */
  static String describeChar(String text) {
    int cp = text.codePointAt(0);
    if (Character.isISOControl(cp) || !Character.isDefined(cp) || Character.isWhitespace(cp)) {
      return String.format("U+%04X", cp);
    }
    return "'" + text + "'";
  }
}
