package org.gradc.parse;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.gradc.ast.Program;
import org.gradc.diag.Diagnostics;
import org.gradc.diag.SourceFile;
import org.gradc.parse.antlr.GradLexer;
import org.gradc.parse.antlr.GradParser;

/**
 * Text to syntax tree. Lexical errors (stray characters, malformed numbers, unterminated
 * comments) are reported first and stop the run, since every later error would be a consequence;
 * syntax errors are reported with recovery so one run shows several. ANTLR types stay inside
 * this package.
 */
public final class SourceParser {
  /** The longest name, in characters; a longer identifier is an error at the identifier. */
  public static final int MAX_IDENTIFIER = 255;

  /** Stack for the recursive descent: deep enough that absurd nesting is reported, not fatal. */
  private static final long PARSE_STACK_BYTES = 512L << 20;

  private SourceParser() {}

  /** The program, or empty when {@code diagnostics} received errors. */
  public static Optional<Program> parse(SourceFile file, Diagnostics diagnostics) {
    return parse(file, diagnostics, () -> { });
  }

  /**
   * The program, or empty when {@code diagnostics} received errors; the calling thread runs
   * {@code meanwhile} while the parser's thread works, and then waits for it.
   */
  public static Optional<Program> parse(SourceFile file, Diagnostics diagnostics,
      Runnable meanwhile) {
    AtomicReference<Program> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread worker = new Thread(null, () -> {
      try {
        result.set(parseOnThisThread(file, diagnostics));
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "gradc-parse", PARSE_STACK_BYTES);
    worker.start();
    meanwhile.run();
    try {
      worker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while parsing", e);
    }
    Throwable t = failure.get();
    if (t instanceof StackOverflowError) {
      diagnostics.error(org.gradc.diag.Span.START, "expression nested too deeply");
      return Optional.empty();
    }
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t != null) {
      throw new IllegalStateException(t);
    }
    return diagnostics.hasErrors() ? Optional.empty() : Optional.ofNullable(result.get());
  }

  private static Program parseOnThisThread(SourceFile file, Diagnostics diagnostics) {
    GradLexer lexer = new GradLexer(CharStreams.fromString(file.text(), file.name()));
    lexer.removeErrorListeners();
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    tokens.fill();
    int lastBadLine = 0;
    for (Token token : tokens.getTokens()) {
      // one unexpected character per line: binary garbage is one error, not one per byte
      if (token.getType() == GradLexer.UNKNOWN_CHAR) {
        int line = Tokens.span(file, token).line();
        if (line == lastBadLine) {
          continue;
        }
        lastBadLine = line;
      }
      checkToken(file, token, diagnostics);
    }
    if (diagnostics.hasErrors()) {
      return null;
    }
    boolean onlyTrivia = tokens.getTokens().stream()
        .allMatch(t -> t.getType() == Token.EOF || t.getChannel() != Token.DEFAULT_CHANNEL);
    if (onlyTrivia) {
      diagnostics.error(org.gradc.diag.Span.START, "no model in file; expected 'model NAME { … }'");
      return null;
    }
    GradParser.ProgramContext tree = syntaxTree(tokens, diagnostics);
    if (diagnostics.hasErrors()) {
      return null;
    }
    return new AstBuilder(file, diagnostics).program(tree);
  }

  /**
   * ANTLR's two-stage parse: SLL prediction first, which is cheaper (no full-context lookahead)
   * and gives the same tree whenever it succeeds; on the first syntax error the tokens are
   * parsed again with full LL prediction and the recovering strategy that reports every error.
   */
  private static GradParser.ProgramContext syntaxTree(CommonTokenStream tokens,
      Diagnostics diagnostics) {
    GradParser parser = new GradParser(tokens);
    parser.removeErrorListeners();
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    parser.setErrorHandler(new BailErrorStrategy());
    try {
      return parser.program();
    } catch (ParseCancellationException e) {
      parser.reset(); // back to the first token
      parser.getInterpreter().setPredictionMode(PredictionMode.LL);
      parser.setErrorHandler(new SyntaxErrors.Strategy());
      parser.addErrorListener(new SyntaxErrors.Listener(diagnostics));
      return parser.program();
    }
  }

  private static void checkToken(SourceFile file, Token token, Diagnostics diagnostics) {
    switch (token.getType()) {
      case GradLexer.ID -> {
        int length = token.getText().length();
        if (length > MAX_IDENTIFIER) {
          diagnostics.error(Tokens.span(file, token), "name '" + token.getText().substring(0, 16)
              + "…' is " + length + " characters long; the most is " + MAX_IDENTIFIER);
        }
      }
      case GradLexer.UNKNOWN_CHAR -> diagnostics.error(Tokens.span(file, token),
          "unexpected character " + Tokens.describeChar(token.getText()));
      case GradLexer.BAD_NUMBER -> diagnostics.error(Tokens.span(file, token),
          "malformed number '" + token.getText() + "'");
      case GradLexer.BLOCK_COMMENT -> {
        String text = token.getText();
        if (text.length() < 4 || !text.endsWith("*/")) {
          diagnostics.error(Tokens.span(file, token), "unterminated comment: '/*' has no closing '*/'");
        }
      }
      default -> { }
    }
  }
}
