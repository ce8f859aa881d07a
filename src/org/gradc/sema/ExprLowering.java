package org.gradc.sema;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.gradc.ast.Expr;
import org.gradc.ast.Ident;
import org.gradc.ast.Program;
import org.gradc.ast.Stmt;
import org.gradc.diag.Diagnostics;
import org.gradc.diag.SourceFile;
import org.gradc.diag.Span;
import org.gradc.ir.Builtin;
import org.gradc.ir.Builtins;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;
import org.gradc.ir.Shape;
import org.gradc.ir.ShapeException;

/**
 * Expressions to graph nodes. Shapes are checked by the graph factory itself (one shape rule per
 * op); this class attaches the position and source text to its complaints. A {@code null} result
 * means an error was already reported, and callers stay quiet about it.
 */
final class ExprLowering {
  /** Activations that take an extra coefficient get PyTorch's default when used by name. */
  private static final Map<String, Double> DEFAULT_ALPHA = Map.of("leaky_relu", 0.01, "elu", 1.0);

  /**
   * The most nodes the forward graph of one model may have. Far beyond real networks (a layer
   * is a handful of nodes); keeps differentiation, simplification and printing fast.
   */
  static final int MAX_NODES = 200_000;

  private final GraphBuilder graph;
  private final Diagnostics diagnostics;
  private final SourceFile file;
  private final Defs defs;
  private final Function<Ident, Optional<Symbol>> resolver;
  /** Def parameters in scope, innermost call last; empty at model level. */
  private final Deque<Frame> frames = new ArrayDeque<>();
  /**
   * Each def applied to argument nodes, expanded once: the graph is hash-consed, so a second call
   * with the same arguments gives the same node (or the same error, already reported).
   */
  private final Map<Expansion, Optional<Node>> expansions = new HashMap<>();
  /** The derivative rule of each def with a grad clause, one object per def. */
  private final Map<String, DefRule> rules = new HashMap<>();
  private boolean tooLarge;

  private record Frame(String def, int callLine, Map<String, Node> locals) {}

  private record Expansion(String def, List<Node> args) {}

  ExprLowering(GraphBuilder graph, Diagnostics diagnostics, SourceFile file, Defs defs,
      Function<Ident, Optional<Symbol>> resolver) {
    this.graph = graph;
    this.diagnostics = diagnostics;
    this.file = file;
    this.defs = defs;
    this.resolver = resolver;
  }

  /** True once the model's graph outgrew {@link #MAX_NODES} (reported once). */
  boolean tooLarge() {
    return tooLarge;
  }

  // ---- the lowering machine ----
  //
  // Expressions are lowered with an explicit stack instead of recursion, so neither a long chain
  // (a + a + … + a) nor a deep chain of defs (f3000 calls f2999 …) needs a call stack. A task
  // evaluates its subexpressions one at a time; each finished task hands its node (or null after
  // an error) to the task below it.

  /** One expression (or one def body) being lowered. */
  private abstract static class Task {
    final List<Node> done = new ArrayList<>();

    /** The next subexpression to lower, or null when all inputs are done. */
    abstract Expr next();

    /** The node from the lowered inputs; may start a def expansion instead. */
    abstract Node finish();

    /** A def body to expand after {@link #finish}, or null. */
    ExpandTask expansion() {
      return null;
    }
  }

  private final class ExprTask extends Task {
    final Expr e;
    final List<Expr> inputs;
    ExpandTask expand;

    ExprTask(Expr e) {
      this.e = e;
      this.inputs = loweredInputs(e);
    }

    @Override
    Expr next() {
      return done.size() < inputs.size() ? inputs.get(done.size()) : null;
    }

    @Override
    Node finish() {
      if (e instanceof Expr.Call c && !done.contains(null)) {
        Program.Def def = defs.get(c.function().text());
        if (def != null && inputs.size() == def.params().size()) {
          Optional<Node> known = expansions.get(new Expansion(def.name().text(), done));
          if (known != null) {
            return known.orElse(null);
          }
          if (defs.isBroken(def.name().text())) {
            return null;
          }
          expand = new ExpandTask(def, List.copyOf(done), c.function().span());
          return null;
        }
      }
      return combine(e, done);
    }

    @Override
    ExpandTask expansion() {
      return expand;
    }
  }

  /** A def body with its parameters bound; pushes and pops the def's frame. */
  private final class ExpandTask extends Task {
    final Program.Def def;
    final List<Node> args;
    final Span callSite;
    boolean entered;

    ExpandTask(Program.Def def, List<Node> args, Span callSite) {
      this.def = def;
      this.args = args;
      this.callSite = callSite;
    }

    @Override
    Expr next() {
      if (!entered) {
        entered = true;
        frames.addLast(new Frame(def.name().text(), callSite.line(), locals(def, args)));
        return def.body();
      }
      return null;
    }

    @Override
    Node finish() {
      frames.removeLast();
      Node result = done.get(0);
      if (result != null && def.rule() != null) {
        result = withRule(def, args, result, callSite);
      }
      expansions.put(new Expansion(def.name().text(), args), Optional.ofNullable(result));
      return result;
    }
  }

  /** Lowers an expression; null when an error was reported (or the model is too large). */
  Node lower(Expr root) {
    return run(new ExprTask(root), root.span());
  }

  private Node run(Task first, Span statement) {
    if (tooLarge) {
      return null;
    }
    int depth = frames.size();
    List<Task> stack = new ArrayList<>();
    stack.add(first);
    Node result = null;
    while (!stack.isEmpty()) {
      Task top = stack.get(stack.size() - 1);
      Expr next = top.next();
      if (next != null) {
        stack.add(new ExprTask(next));
        continue;
      }
      Node value = top.finish();
      ExpandTask expand = top.expansion();
      if (expand != null && top instanceof ExprTask t) {
        t.expand = null;
        // the call's value is the body's: the expansion replaces the call on the stack
        stack.set(stack.size() - 1, expand);
        continue;
      }
      if (graph.size() > MAX_NODES) {
        tooLarge = true;
        while (frames.size() > depth) {
          frames.removeLast();
        }
        diagnostics.error(statement, "this expression makes the model's graph larger than "
            + MAX_NODES + " nodes, the most a model may have");
        return null;
      }
      stack.remove(stack.size() - 1);
      if (stack.isEmpty()) {
        result = value;
      } else {
        stack.get(stack.size() - 1).done.add(value);
      }
    }
    return result;
  }

  /** The subexpressions lowered before an expression itself, in order. */
  private List<Expr> loweredInputs(Expr e) {
    if (e instanceof Expr.Member m) {
      return m.field().text().equals("T") ? List.of(m.target()) : List.of();
    }
    if (e instanceof Expr.Call c) {
      String fn = c.function().text();
      Program.Def def = defs.get(fn);
      Optional<Builtin> builtin = Builtins.lookup(fn);
      if (def == null && builtin.isEmpty()) {
        return c.args(); // lowered for their own errors
      }
      int arity = def != null ? def.params().size() : builtin.get().arity();
      return arity == c.args().size() ? c.args() : List.of();
    }
    return Exprs.children(e);
  }

  /** An expression's node from its lowered inputs (null inputs: an error was reported). */
  private Node combine(Expr e, List<Node> in) {
    if (e instanceof Expr.Num n) {
      return graph.number(n.value());
    }
    if (e instanceof Expr.Name n) {
      return name(n.name());
    }
    if (e instanceof Expr.Member m) {
      return m.field().text().equals("T") ? (in.get(0) == null ? null : graph.transpose(in.get(0)))
          : member(m);
    }
    if (e instanceof Expr.Index i) {
      return index(i, in.get(0));
    }
    if (e instanceof Expr.Negate) {
      return in.get(0) == null ? null : graph.neg(in.get(0));
    }
    if (e instanceof Expr.Binary b) {
      return binary(b, in.get(0), in.get(1));
    }
    return call((Expr.Call) e, in);
  }

  private Node name(Ident id) {
    if (!frames.isEmpty()) {
      return frames.peekLast().locals().get(id.text());
    }
    return resolver.apply(id).map(Symbol::node).orElse(null);
  }

  private Node member(Expr.Member m) {
    if (!(m.target() instanceof Expr.Name n)) {
      error(m.target().span(), "'" + text(m.target().span()) + "' is not a layer");
      return null;
    }
    Optional<Symbol> symbol = resolver.apply(n.name());
    if (symbol.isEmpty()) {
      return null;
    }
    if (!symbol.get().isLayer()) {
      error(n.span(), "'" + n.name().text() + "' is not a layer; only layers have parameters such as '"
          + n.name().text() + ".W'");
      return null;
    }
    Node param = symbol.get().layerParams().get(m.field().text());
    if (param == null) {
      LayerKinds.Kind kind = symbol.get().layerKind();
      error(m.field().span(), "layer '" + n.name().text() + "' has no parameter '" + m.field().text()
          + "'; a " + kind.name() + " layer has " + kind.fields() + " (and .T transposes)");
    }
    return param;
  }

  private Node index(Expr.Index i, Node target) {
    if (target == null) {
      return null;
    }
    if (target.shape().isScalar()) {
      error(i.bracket(), "cannot index a scalar: '" + text(i.target().span()) + "' has shape []");
      return null;
    }
    Expr.Num index = i.index();
    if (!Literals.isNonNegativeInt(index.text(), index.value())) {
      error(index.span(), "index must be a non-negative integer, not " + index.text());
      return null;
    }
    return shaped(index.span(), i.span(), () -> graph.index(target, (int) index.value()));
  }

  private Node binary(Expr.Binary b, Node l, Node r) {
    if (l == null || r == null) {
      return null;
    }
    return shaped(b.opSpan(), b.span(), () -> switch (b.op()) {
      case ADD -> graph.add(l, r);
      case SUB -> graph.sub(l, r);
      case MUL -> graph.mul(l, r);
      case DIV -> graph.div(l, r);
      case MATMUL -> graph.matmul(l, r);
      case POW -> graph.pow(l, r);
    }, () -> ProductHints.hint(b, l.shape(), r.shape(), e -> text(e.span())));
  }

  /** A builtin call, or the error of an unknown function or a wrong argument count. */
  private Node call(Expr.Call c, List<Node> args) {
    String fn = c.function().text();
    Program.Def def = defs.get(fn);
    Optional<Builtin> builtin = Builtins.lookup(fn);
    if (def == null && builtin.isEmpty()) {
      error(c.function().span(), () -> defs.unknownFunction(fn));
      return null;
    }
    int arity = def != null ? def.params().size() : builtin.get().arity();
    if (arity != c.args().size()) {
      error(c.function().span(), Defs.arityMessage(fn, arity, c.args().size()));
      return null;
    }
    if (args.contains(null)) {
      return null;
    }
    return shaped(c.function().span(), c.span(), () -> builtin.get().apply(graph, args));
  }

  /** Inlines a def applied to nodes (a layer's activation). */
  private Node expand(Program.Def def, List<Node> args, Span callSite, Span statement) {
    Optional<Node> known = expansions.get(new Expansion(def.name().text(), args));
    if (known != null) {
      return known.orElse(null);
    }
    if (defs.isBroken(def.name().text())) {
      return null;
    }
    return run(new ExpandTask(def, List.copyOf(args), callSite), statement);
  }

  /**
   * A def's body on argument nodes marked with the def's grad clause, after checking that the
   * clause lowers at these shapes and gives each parameter a product of its shape (with a
   * stand-in for the adjoint, so the real products are only built by differentiation).
   */
  private Node withRule(Program.Def def, List<Node> args, Node body, Span callSite) {
    String adjoint = "∂" + def.name().text();
    Node stand = body.batched() ? graph.input(adjoint, body.shape()) : graph.param(adjoint, body.shape());
    List<Node> products = ruleProducts(def, args, body, stand, callSite);
    if (products == null) {
      return null;
    }
    boolean ok = true;
    for (int i = 0; i < args.size(); i++) {
      if (!products.get(i).shape().equals(args.get(i).shape())) {
        diagnostics.error(def.rule().vjps().get(i).span(), "the grad clause gives parameter '"
            + def.params().get(i).text() + "' a product of shape " + products.get(i).shape()
            + ", but the argument has shape " + args.get(i).shape() + " (in '" + def.name().text()
            + "' called on line " + callSite.line() + ")");
        ok = false;
      }
    }
    return ok ? graph.custom(body, args,
        rules.computeIfAbsent(def.name().text(), k -> new DefRule(def, defs, file))) : null;
  }

  /** A def's body on argument nodes, without the def's own rule; null after an error. */
  Node body(Program.Def def, List<Node> args, Span callSite) {
    return within(def, locals(def, args), callSite, def.body());
  }

  /**
   * A def's grad clause on argument nodes, the def's result and the result's adjoint: one
   * product per parameter; null after an error.
   */
  List<Node> ruleProducts(Program.Def def, List<Node> args, Node result, Node cotangent, Span callSite) {
    Map<String, Node> locals = locals(def, args);
    locals.put(def.rule().result().text(), result);
    locals.put(def.rule().cotangent().text(), cotangent);
    List<Node> out = new ArrayList<>();
    for (Expr e : def.rule().vjps()) {
      Node n = within(def, locals, callSite, e);
      if (n == null) {
        return null;
      }
      out.add(n);
    }
    return out;
  }

  private static Map<String, Node> locals(Program.Def def, List<Node> args) {
    Map<String, Node> locals = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      locals.put(def.params().get(i).text(), args.get(i));
    }
    return locals;
  }

  private Node within(Program.Def def, Map<String, Node> locals, Span callSite, Expr e) {
    frames.addLast(new Frame(def.name().text(), callSite.line(), locals));
    int depth = frames.size();
    Node n = run(new ExprTask(e), e.span());
    if (frames.size() == depth) {
      frames.removeLast();
    }
    return n;
  }

  /** The graph nodes are built in. */
  GraphBuilder graph() {
    return graph;
  }

  /** {@code act(z)} for a layer's activation: a builtin (with its default coefficient) or a def. */
  Node activate(String act, Node z, Stmt.Layer l) {
    Program.Def def = defs.get(act);
    if (def != null) {
      return expand(def, List.of(z), l.function().span(), l.span());
    }
    Builtin builtin = Builtins.lookup(act).orElseThrow();
    List<Node> args = builtin.arity() == 1 ? List.of(z) : List.of(z, graph.number(DEFAULT_ALPHA.get(act)));
    return shaped(l.function().span(), l.span(), () -> builtin.apply(graph, args));
  }

  /** A layer's units argument: a positive integer literal. */
  Optional<Integer> units(Expr e) {
    if (e instanceof Expr.Num n && Literals.isNonNegativeInt(n.text(), n.value()) && n.value() >= 1) {
      return Optional.of((int) n.value());
    }
    error(e.span(), "units must be a positive integer, not '" + text(e.span()) + "'");
    return Optional.empty();
  }

  /** A layer's activation argument: the name of a one-argument builtin or def. */
  Optional<String> activation(Expr e) {
    if (e instanceof Expr.Name n) {
      String name = n.name().text();
      Program.Def def = defs.get(name);
      Optional<Builtin> builtin = Builtins.lookup(name);
      if (def != null && def.params().size() == 1) {
        return Optional.of(name);
      }
      if (builtin.isPresent() && (builtin.get().arity() == 1 || DEFAULT_ALPHA.containsKey(name))) {
        return Optional.of(name);
      }
      if (def == null && builtin.isEmpty()) {
        error(n.span(), () -> defs.unknownFunction(name));
        return Optional.empty();
      }
    }
    error(e.span(), "activation must name a one-argument function such as sigmoid, tanh or relu, not '"
        + text(e.span()) + "'");
    return Optional.empty();
  }

  /** Builds a node, turning a shape error into a diagnostic at {@code at}. */
  Node shaped(Span at, Span whole, Supplier<Node> build) {
    return shaped(at, whole, build, () -> "");
  }

  /** Builds a node; a shape error becomes a diagnostic at {@code at} ending in {@code hint}. */
  private Node shaped(Span at, Span whole, Supplier<Node> build, Supplier<String> hint) {
    try {
      return build.get();
    } catch (ShapeException ex) {
      String what = text(whole);
      boolean quotable = what.length() <= 48 && what.indexOf('\n') < 0 && what.indexOf('\r') < 0;
      error(at, (quotable ? what + ": " : "") + ex.getMessage() + hint.get());
      return null;
    }
  }

  void error(Span span, String message) {
    error(span, () -> message);
  }

  private void error(Span span, Supplier<String> message) {
    Frame f = frames.peekLast();
    diagnostics.error(span, () -> f == null ? message.get()
        : message.get() + " (in '" + f.def() + "' called on line " + f.callLine() + ")");
  }

  String text(Span span) {
    return file.slice(span).strip();
  }
}
