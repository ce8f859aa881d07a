package org.gradc.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.gradc.ast.Expr;
import org.gradc.ast.Ident;
import org.gradc.ast.Init;
import org.gradc.ast.Literal;
import org.gradc.ast.Program;
import org.gradc.ast.Stmt;
import org.gradc.ast.TrainItem;
import org.gradc.diag.Diagnostics;
import org.gradc.diag.SourceFile;
import org.gradc.diag.Span;
import org.gradc.parse.antlr.GradParser;
import org.gradc.parse.antlr.GradParser.ExprContext;

/**
 * Parse tree to AST records. Rejects expressions and array literals nested deeper than {@link
 * #MAX_NESTING}. A chain of left-associative operators ({@code a + b + c}, {@code a * b}, {@code
 * x.T}, {@code v[0]}) is not nesting: its left spine is walked in a loop, however long, and only
 * operands, arguments, parentheses, unary minus and the right-associative {@code ^} count.
 */
final class AstBuilder {
  /** Far beyond any real network; bounds the recursion of this builder. */
  static final int MAX_NESTING = 256;

  private final SourceFile file;
  private final Diagnostics diagnostics;
  private boolean nestingReported;

  AstBuilder(SourceFile file, Diagnostics diagnostics) {
    this.file = file;
    this.diagnostics = diagnostics;
  }

  Program program(GradParser.ProgramContext ctx) {
    List<Program.Def> defs = new ArrayList<>();
    List<Program.Model> models = new ArrayList<>();
    for (GradParser.ItemContext item : ctx.item()) {
      if (item.defDecl() != null) {
        defs.add(def(item.defDecl()));
      } else {
        models.add(model(item.modelDecl()));
      }
    }
    return new Program(file, defs, models);
  }

  private Program.Def def(GradParser.DefDeclContext ctx) {
    List<Ident> params = new ArrayList<>();
    for (TerminalNode id : ctx.ID()) {
      if (id.getSymbol() != ctx.name) {
        params.add(ident(id.getSymbol()));
      }
    }
    GradParser.GradRuleContext r = ctx.gradRule();
    Program.GradRule rule = null;
    if (r != null) {
      List<Expr> vjps = new ArrayList<>();
      for (GradParser.ExprContext e : r.expr()) {
        vjps.add(expr(e, 0));
      }
      rule = new Program.GradRule(ident(r.result), ident(r.cotangent), vjps,
          Tokens.span(file, r.kw));
    }
    return new Program.Def(ident(ctx.name), params, expr(ctx.expr(), 0), rule);
  }

  private Program.Model model(GradParser.ModelDeclContext ctx) {
    List<Stmt> body = new ArrayList<>();
    for (GradParser.StatementContext s : ctx.statement()) {
      body.add(statement(s));
    }
    return new Program.Model(ident(ctx.name), body, Tokens.span(file, ctx));
  }

  private Stmt statement(GradParser.StatementContext ctx) {
    Span span = Tokens.span(file, ctx);
    if (ctx.dataDecl() != null) {
      var d = ctx.dataDecl();
      Stmt.DataKind kind = d.kind.getType() == GradParser.INPUT ? Stmt.DataKind.INPUT : Stmt.DataKind.TARGET;
      return new Stmt.Data(kind, ident(d.name), d.dims() == null ? List.of() : dims(d.dims()), span);
    }
    if (ctx.paramDecl() != null) {
      var p = ctx.paramDecl();
      return new Stmt.Param(ident(p.name), Optional.ofNullable(p.dims()).map(this::dims),
          Optional.ofNullable(p.init()).map(this::init), span);
    }
    if (ctx.constDecl() != null) {
      var c = ctx.constDecl();
      return new Stmt.Const(ident(c.name), Optional.ofNullable(c.dims()).map(this::dims), init(c.init()), span);
    }
    if (ctx.layerDecl() != null) {
      var l = ctx.layerDecl();
      List<Expr> args = new ArrayList<>();
      List<Stmt.Option> options = new ArrayList<>();
      for (GradParser.LayerArgContext a : l.layerArg()) {
        if (a.key != null) {
          options.add(new Stmt.Option(ident(a.key), expr(a.expr(), 0)));
        } else {
          args.add(expr(a.expr(), 0));
        }
      }
      return new Stmt.Layer(ident(l.name), ident(l.fn), args, options, span);
    }
    if (ctx.outputDecl() != null) {
      List<Ident> names = new ArrayList<>();
      for (TerminalNode id : ctx.outputDecl().ID()) {
        names.add(ident(id.getSymbol()));
      }
      return new Stmt.Output(names, span);
    }
    if (ctx.lossDecl() != null) {
      return new Stmt.Loss(expr(ctx.lossDecl().expr(), 0), Tokens.span(file, ctx.lossDecl().LOSS().getSymbol()));
    }
    if (ctx.trainBlock() != null) {
      List<TrainItem> items = new ArrayList<>();
      for (GradParser.TrainItemContext item : ctx.trainBlock().trainItem()) {
        items.add(trainItem(item));
      }
      return new Stmt.Train(items, Tokens.span(file, ctx.trainBlock().TRAIN().getSymbol()));
    }
    var a = ctx.assign();
    return new Stmt.Assign(ident(a.name), expr(a.expr(), 0), span);
  }

  private TrainItem trainItem(GradParser.TrainItemContext ctx) {
    if (ctx instanceof GradParser.TrainOptimizerContext o) {
      List<TrainItem.Option> options = new ArrayList<>();
      for (GradParser.OptionContext opt : o.option()) {
        options.add(new TrainItem.Option(ident(opt.name), signed(opt.signed())));
      }
      return new TrainItem.Optimizer(ident(o.key), ident(o.name), options, Tokens.span(file, o));
    }
    var s = (GradParser.TrainSettingContext) ctx;
    return new TrainItem.Setting(ident(s.key), signed(s.signed()));
  }

  private List<Expr.Num> dims(GradParser.DimsContext ctx) {
    List<Expr.Num> dims = new ArrayList<>();
    for (TerminalNode n : ctx.NUMBER()) {
      dims.add(number(n.getSymbol()));
    }
    return dims;
  }

  private Init init(GradParser.InitContext ctx) {
    if (ctx instanceof GradParser.InitLiteralContext l) {
      return new Init.Value(literal(l.literal(), 0));
    }
    if (ctx instanceof GradParser.InitCallContext c) {
      List<Literal.Number> args = new ArrayList<>();
      for (GradParser.SignedContext s : c.signed()) {
        args.add(signed(s));
      }
      return new Init.Call(ident(c.name), args, Tokens.span(file, c));
    }
    return new Init.Named(ident(((GradParser.InitNamedContext) ctx).name));
  }

  private Literal literal(GradParser.LiteralContext ctx, int depth) {
    if (ctx instanceof GradParser.LiteralNumberContext n) {
      return signed(n.signed());
    }
    if (depth >= MAX_NESTING) {
      if (!nestingReported) {
        nestingReported = true;
        diagnostics.error(Tokens.span(file, ctx.getStart()),
            "array literal nested too deeply (more than " + MAX_NESTING + " levels)");
      }
      return new Literal.Number(0, "0", Tokens.span(file, ctx));
    }
    List<Literal> elements = new ArrayList<>();
    for (GradParser.LiteralContext e : ((GradParser.LiteralArrayContext) ctx).literal()) {
      elements.add(literal(e, depth + 1));
    }
    return new Literal.Array(elements, Tokens.span(file, ctx));
  }

  private Literal.Number signed(GradParser.SignedContext ctx) {
    Expr.Num n = number(ctx.NUMBER().getSymbol());
    boolean negative = ctx.getChildCount() > 1;
    return new Literal.Number(negative ? -n.value() : n.value(), (negative ? "-" : "") + n.text(),
        Tokens.span(file, ctx));
  }

  private Expr expr(ExprContext ctx, int depth) {
    if (depth > MAX_NESTING) {
      if (!nestingReported) {
        nestingReported = true;
        diagnostics.error(Tokens.span(file, ctx.getStart()),
            "expression nested too deeply (more than " + MAX_NESTING + " levels)");
      }
      return new Expr.Num(0, "0", Tokens.span(file, ctx));
    }
    int d = depth + 1;
    if (isLeftChain(ctx)) {
      // the left spine of a + b + c …, innermost first, without recursion
      List<ExprContext> spine = new ArrayList<>();
      ExprContext cur = ctx;
      while (isLeftChain(cur)) {
        spine.add(cur);
        cur = cur.getRuleContext(ExprContext.class, 0);
      }
      Expr acc = expr(cur, d);
      for (int i = spine.size() - 1; i >= 0; i--) {
        acc = link(spine.get(i), acc, d);
      }
      return acc;
    }
    Span span = Tokens.span(file, ctx);
    if (ctx instanceof GradParser.NumberContext n) {
      return number(n.NUMBER().getSymbol());
    }
    if (ctx instanceof GradParser.NameContext n) {
      return new Expr.Name(ident(n.ID().getSymbol()));
    }
    if (ctx instanceof GradParser.ParensContext p) {
      return expr(p.expr(), d);
    }
    if (ctx instanceof GradParser.NegateContext n) {
      return new Expr.Negate(expr(n.expr(), d), span);
    }
    if (ctx instanceof GradParser.CallContext c) {
      List<Expr> args = new ArrayList<>();
      for (ExprContext e : c.expr()) {
        args.add(expr(e, d));
      }
      return new Expr.Call(ident(c.fn), args, span);
    }
    var p = (GradParser.PowerContext) ctx;
    return new Expr.Binary(binOp(p.op), expr(p.expr(0), d), expr(p.expr(1), d),
        Tokens.span(file, p.op), span);
  }

  /** Left-associative forms, whose first child is an expression continued to the right. */
  private static boolean isLeftChain(ExprContext ctx) {
    return ctx instanceof GradParser.AdditiveContext || ctx instanceof GradParser.MultiplicativeContext
        || ctx instanceof GradParser.MemberContext || ctx instanceof GradParser.IndexContext;
  }

  /** One link of a left chain applied to the already built left operand. */
  private Expr link(ExprContext ctx, Expr left, int depth) {
    Span span = Tokens.span(file, ctx);
    if (ctx instanceof GradParser.MemberContext m) {
      return new Expr.Member(left, ident(m.field), span);
    }
    if (ctx instanceof GradParser.IndexContext i) {
      Token bracket = (Token) i.getChild(1).getPayload();
      return new Expr.Index(left, number(i.index), Tokens.span(file, bracket), span);
    }
    Token op = ctx instanceof GradParser.MultiplicativeContext m ? m.op
        : ((GradParser.AdditiveContext) ctx).op;
    return new Expr.Binary(binOp(op), left, expr(ctx.getRuleContext(ExprContext.class, 1), depth),
        Tokens.span(file, op), span);
  }

  private static Expr.BinOp binOp(Token op) {
    return switch (op.getText()) {
      case "+" -> Expr.BinOp.ADD;
      case "-" -> Expr.BinOp.SUB;
      case "*" -> Expr.BinOp.MUL;
      case "/" -> Expr.BinOp.DIV;
      case "@" -> Expr.BinOp.MATMUL;
      case "^" -> Expr.BinOp.POW;
      default -> throw new IllegalStateException("operator " + op.getText());
    };
  }

  private Expr.Num number(Token t) {
    double value = Double.parseDouble(t.getText());
    if (Double.isInfinite(value)) {
      diagnostics.error(Tokens.span(file, t), "number '" + t.getText() + "' is too large for a double");
    }
    return new Expr.Num(value, t.getText(), Tokens.span(file, t));
  }

  private Ident ident(Token t) {
    return new Ident(t.getText(), Tokens.span(file, t));
  }
}
