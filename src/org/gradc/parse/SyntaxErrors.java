package org.gradc.parse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.gradc.diag.Diagnostics;
import org.gradc.parse.antlr.GradLexer;

/**
 * Syntax error messages written where the parser expects something ("unexpected '}', expected a
 * name"), instead of ANTLR's generic wording. Recovery is ANTLR's; at most one error per line is
 * kept, since the rest of a broken line is usually a consequence of the first.
 */
final class SyntaxErrors {
  private SyntaxErrors() {}

  static final class Strategy extends DefaultErrorStrategy {
    @Override
    protected void reportNoViableAlternative(Parser parser, NoViableAltException e) {
      report(parser, e.getOffendingToken(), unexpected(e.getOffendingToken())
          + expecting(parser.getExpectedTokens()), e);
    }

    @Override
    protected void reportInputMismatch(Parser parser, InputMismatchException e) {
      report(parser, e.getOffendingToken(),
          unexpected(e.getOffendingToken()) + expecting(e.getExpectedTokens()), e);
    }

    @Override
    protected void reportUnwantedToken(Parser parser) {
      if (inErrorRecoveryMode(parser)) {
        return;
      }
      beginErrorCondition(parser);
      Token t = parser.getCurrentToken();
      report(parser, t, unexpected(t) + expecting(getExpectedTokens(parser)), null);
    }

    @Override
    protected void reportMissingToken(Parser parser) {
      if (inErrorRecoveryMode(parser)) {
        return;
      }
      beginErrorCondition(parser);
      Token t = parser.getCurrentToken();
      report(parser, t, "expected " + describe(getExpectedTokens(parser)) + " before "
          + tokenText(t), null);
    }

    /** Reports at {@code at}, or in the words of a habit from Python when the tokens show one. */
    private static void report(Parser parser, Token at, String message, RecognitionException e) {
      Token before = previous(parser, at);
      if (before != null && isStar(at) && isStar(before)
          && before.getStopIndex() + 1 == at.getStartIndex()) {
        parser.notifyErrorListeners(before, "'**' is not an operator: use ^ for powers, as in x ^ 2", e);
      } else if (before != null && before.getType() == GradLexer.LOSS && "=".equals(at.getText())) {
        parser.notifyErrorListeners(at, "loss takes an expression, no '=': write 'loss EXPR'", e);
      } else {
        parser.notifyErrorListeners(at, message, e);
      }
    }

    /** The token before {@code t} on the parser's channel (comments and spaces skipped), or null. */
    private static Token previous(Parser parser, Token t) {
      for (int i = t.getTokenIndex() - 1; i >= 0; i--) {
        Token p = parser.getTokenStream().get(i);
        if (p.getChannel() == Token.DEFAULT_CHANNEL) {
          return p;
        }
      }
      return null;
    }

    private static boolean isStar(Token t) {
      return "*".equals(t.getText());
    }
  }

  static final class Listener extends BaseErrorListener {
    private final Diagnostics diagnostics;
    private final Set<Integer> linesReported = new HashSet<>();

    Listener(Diagnostics diagnostics) {
      this.diagnostics = diagnostics;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line,
        int charPositionInLine, String msg, RecognitionException e) {
      org.gradc.diag.Span at = Tokens.span(diagnostics.file(), (Token) offendingSymbol);
      if (linesReported.add(at.line())) {
        diagnostics.error(at, msg);
      }
    }
  }

  private static String unexpected(Token t) {
    return "unexpected " + tokenText(t);
  }

  private static String expecting(IntervalSet expected) {
    return expected == null || expected.isNil() ? "" : ", expected " + describe(expected);
  }

  private static String tokenText(Token t) {
    return t.getType() == Token.EOF ? "end of file" : "'" + t.getText() + "'";
  }

  /** The expected tokens in words; the many ways an expression can start read "an expression". */
  static String describe(IntervalSet expected) {
    List<String> words = new ArrayList<>();
    boolean expression = expected.contains(GradLexer.ID) && expected.contains(GradLexer.NUMBER)
        && expected.contains(literalType("'('"));
    if (expression) {
      words.add("an expression");
    }
    for (int type : expected.toList()) {
      if (expression && (type == GradLexer.ID || type == GradLexer.NUMBER
          || type == literalType("'('") || type == literalType("'-'"))) {
        continue;
      }
      words.add(describe(type));
    }
    if (words.size() > 6) {
      words = words.subList(0, 6);
      words.add("…");
    }
    if (words.size() == 1) {
      return words.get(0);
    }
    return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
  }

  private static String describe(int type) {
    return switch (type) {
      case Token.EOF -> "end of file";
      case GradLexer.ID -> "a name";
      case GradLexer.NUMBER -> "a number";
      default -> {
        String literal = GradLexer.VOCABULARY.getLiteralName(type);
        yield literal != null ? literal : GradLexer.VOCABULARY.getDisplayName(type);
      }
    };
  }

  private static int literalType(String literal) {
    for (int t = 1; t <= GradLexer.VOCABULARY.getMaxTokenType(); t++) {
      if (literal.equals(GradLexer.VOCABULARY.getLiteralName(t))) {
        return t;
      }
    }
    return Token.INVALID_TYPE;
  }
}
