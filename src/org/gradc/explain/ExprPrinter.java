package org.gradc.explain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gradc.ir.Fn;
import org.gradc.ir.Node;
import org.gradc.ir.Numbers;
import org.gradc.ir.Op;

/**
 * Prints one node of the expression graph as math in the articles' notation, in plain Unicode or
 * LaTeX. Named nodes print as their {@link Sym}; a name may stand for the negation of a node
 * (when the simplified graph holds {@code −x} as the error signal and {@code x} in the
 * gradients), and a negation is pushed through products, sums over the batch and differences
 * until it meets such a name ({@code −(y − yhat)} prints as {@code yhat − y}). Printing never
 * changes the graph.
 *
 * <p>This is the one math printer of gradc: {@code gradc grad}, {@code gradc explain} and the
 * comments of generated code print through it, in one notation. {@code ·} a product with a
 * scalar, a dot product or a matrix-vector product; {@code ⊙} the elementwise product; {@code Σ_b}
 * a sum over the examples of the batch; {@code (1/B) Σ_b} the batch mean; {@code W ⋆ x} a
 * convolution (cross-correlation), {@code Wᵀ ⋆ δ} its data gradient and {@code Σ_b δ ⋆ x} its
 * filter gradient ({@link Convolutions}); {@code flatten(x)} an image as a vector. Products keep the
 * model's own convention: with row vectors ({@code x @ W}) a product {@code W · v} prints as
 * {@code v · Wᵀ} and the outer product as {@code aᵀ · b}; with column vectors ({@code W @ x}) a
 * product {@code v · W} prints as {@code Wᵀ · v} and the outer product as {@code a · bᵀ}.
 *
 * <p>Printing is recursive, so the caller keeps expressions shallow and short: {@link #toName}
 * lists the subexpressions that need a name of their own (one used more than once that is not
 * short, or one too long or too deep to inline), which keeps every printed line bounded and the
 * whole story linear in the size of the graph.
 */
final class ExprPrinter {
  /** A printable name: Unicode and LaTeX text, and whether it denotes the negated node. */
  record Sym(String text, String tex, boolean negated) {
    Sym negate() {
      return new Sym(text, tex, !negated);
    }
  }

  private record T(String s, int prec) {}

  private static final int ATOM = 6;

  /** An unnamed subexpression used more than once is repeated only while this short. */
  static final int MAX_SHARED_INLINE = 200;
  /** Or while this short, when it has a natural name (the error signal of a named value). */
  static final int MAX_SHARED_NATURAL = 32;
  /** Any longer subexpression is named. */
  static final int MAX_INLINE = 4000;
  /** So is one nested deeper than this (which bounds the recursion of the printer). */
  static final int MAX_DEPTH = 40;

  private final Map<Node, Sym> names;
  private final String exclude;
  private final boolean latex;
  private final boolean column;
  private final Map<Node, T> memoPos = new HashMap<>();
  private final Map<Node, T> memoNeg = new HashMap<>();
  private final Map<Node, Boolean> triedNeg = new HashMap<>();

  /**
   * @param names the names in scope, read as they are (not copied); they must not change while
   *     this printer is used
   * @param exclude the text of a name not to use (the definition's own), or null
   * @param latex LaTeX instead of Unicode
   * @param column the model writes column vectors ({@code W @ x}) rather than rows
   */
  ExprPrinter(Map<Node, Sym> names, String exclude, boolean latex, boolean column) {
    this.names = names;
    this.exclude = exclude;
    this.latex = latex;
    this.column = column;
  }

  private Sym nameOf(Node n) {
    Sym s = names.get(n);
    return s == null || s.text().equals(exclude) ? null : s;
  }

  private boolean named(Node n) {
    return nameOf(n) != null;
  }

  /**
   * The unnamed subexpressions of {@code root} that should get a name before {@code root} is
   * printed, inputs first: those used more than once in the expression that are longer than
   * {@link #MAX_SHARED_INLINE}, or than {@link #MAX_SHARED_NATURAL} when they have a {@code natural}
   * name, and those longer than {@link #MAX_INLINE} or nested deeper than
   * {@link #MAX_DEPTH} once the earlier ones are named. Iterative.
   */
  List<Node> toName(Node root, java.util.function.Predicate<Node> natural) {
    Set<Node> seen = new HashSet<>();
    List<Node> nodes = new ArrayList<>();
    Map<Node, Integer> uses = new HashMap<>();
    Deque<Node> work = new ArrayDeque<>(List.of(root));
    while (!work.isEmpty()) {
      Node x = work.pop();
      if (!seen.add(x)) {
        continue;
      }
      nodes.add(x);
      if (x == root || !named(x)) {
        for (Node in : x.inputs()) {
          uses.merge(in, 1, Integer::sum);
          work.push(in);
        }
      }
    }
    nodes.sort(Comparator.comparingInt(Node::id));
    Map<Node, Integer> weight = new HashMap<>();
    Map<Node, Integer> depth = new HashMap<>();
    List<Node> out = new ArrayList<>();
    for (Node x : nodes) {
      if (x != root && named(x)) {
        weight.put(x, nameOf(x).text().length());
        depth.put(x, 0);
        continue;
      }
      int w = switch (x.op()) {
        case INPUT, TARGET, PARAM, CONST -> x.name().length();
        case NUMBER -> Numbers.format(x.value()).length();
        case BROADCAST -> 0;
        case BATCH_SIZE, UNARY, BINARY, TRANSPOSE, INDEX, PLACE, CUSTOM, RESHAPE, IM2COL, COL2IM,
            MAX_POOL, MAX_UNPOOL, AVG_POOL, AVG_UNPOOL, SUM, SUM_ROWS, MATMUL, OUTER, SOFTMAX,
            LOG_SOFTMAX, LOGSUMEXP, BATCH_SUM, BATCH_MEAN -> 8;
      };
      int d = 0;
      for (Node in : x.inputs()) {
        w = (int) Math.min(Integer.MAX_VALUE / 4, (long) w + weight.get(in));
        d = Math.max(d, depth.get(in) + 1);
      }
      int used = uses.getOrDefault(x, 0);
      if (x != root && !x.op().isLeaf() && (used > 1 && (w > MAX_SHARED_INLINE || w > MAX_SHARED_NATURAL && natural.test(x))
          || w > MAX_INLINE || d > MAX_DEPTH)) {
        out.add(x);
        w = 4;
        d = 0;
      }
      weight.put(x, w);
      depth.put(x, d);
    }
    return out;
  }

  /** The expression of {@code n}, expanding {@code n} itself even when it has a name. */
  String define(Node n) {
    return body(n, false).s;
  }

  /** The text of a name in the current style. */
  String name(Sym s) {
    return latex ? s.tex() : s.text();
  }

  private String sym(String unicode, String tex) {
    return latex ? tex : unicode;
  }

  private String dot() {
    return sym(" · ", " \\cdot ");
  }

  private String paren(String s) {
    return sym("(" + s + ")", "\\left(" + s + "\\right)");
  }

  private String at(T t, int outer) {
    return t.prec < outer ? paren(t.s) : t.s;
  }

  private String e(Node n, int outer) {
    return at(term(n, false), outer);
  }

  /** {@code n} (or {@code −n} when neg), or null when neg and the sign cannot be absorbed. */
  private T term(Node n, boolean neg) {
    Map<Node, T> memo = neg ? memoNeg : memoPos;
    if (memo.containsKey(n) || neg && triedNeg.containsKey(n)) {
      return memo.get(n);
    }
    T t;
    Sym s = nameOf(n);
    if (s != null) {
      if (s.negated() == neg) {
        t = new T(name(s), ATOM);
      } else if (!neg) {
        t = new T(sym("−", "-") + name(s), 3);
      } else {
        t = null;
      }
    } else {
      t = body(n, neg);
    }
    if (neg) {
      triedNeg.put(n, true);
    }
    memo.put(n, t);
    return t;
  }

  private T body(Node n, boolean neg) {
    List<Node> in = n.inputs();
    if (neg) {
      if (n.is(Fn.NEG)) {
        return term(in.get(0), false);
      }
      if (n.is(Fn.SUB)) {
        return new T(e(in.get(1), 1) + sym(" − ", " - ") + e(in.get(0), 2), 1);
      }
      if (n.op() == Op.NUMBER) {
        return new T(number(-n.value()), -n.value() < 0 ? 3 : ATOM);
      }
      for (int i : linearOperands(n)) {
        if (term(in.get(i), true) != null) {
          return render(n, i);
        }
      }
      return null;
    }
    if (n.is(Fn.NEG)) {
      T inner = term(in.get(0), true);
      return inner != null ? inner : new T(sym("−", "-") + e(in.get(0), 4), 3);
    }
    return render(n, -1);
  }

  /** Operands through which a negation may be pushed (the op is linear in each of them). */
  private static int[] linearOperands(Node n) {
    return switch (n.op()) {
      case BINARY -> n.is(Fn.MUL) ? new int[] {0, 1} : n.is(Fn.DIV) ? new int[] {0} : new int[0];
      case MATMUL, OUTER -> new int[] {0, 1};
      case SUM, SUM_ROWS, BATCH_SUM, BATCH_MEAN, BROADCAST, TRANSPOSE, INDEX, PLACE, RESHAPE,
          IM2COL, COL2IM, AVG_POOL, AVG_UNPOOL -> new int[] {0};
      case MAX_POOL, MAX_UNPOOL -> new int[] {1};
      case INPUT, TARGET, PARAM, CONST, NUMBER, BATCH_SIZE, UNARY, CUSTOM, SOFTMAX, LOG_SOFTMAX,
          LOGSUMEXP -> new int[0];
    };
  }

  private String number(double v) {
    String s = Numbers.format(v);
    return s.startsWith("-") ? sym("−", "-") + s.substring(1) : s;
  }

  private String fn(String unicode, String tex, String... args) {
    String head = latex ? tex : unicode;
    return head + paren(String.join(", ", args));
  }

  private String fn(Node n, String... args) {
    String t = n.op().text();
    return fn(t, "\\operatorname{" + t.replace("_", "\\_") + "}", args);
  }

  /**
   * A matrix or outer product in the model's convention: with row vectors {@code W · v} prints
   * as {@code v · Wᵀ} and the outer product as {@code aᵀ · b}; with column vectors {@code v · W}
   * prints as {@code Wᵀ · v} and the outer product as {@code a · bᵀ}.
   */
  private T product(Node n, java.util.function.BiFunction<Integer, Integer, String> a) {
    String t = sym("ᵀ", "^{\\top}");
    if (n.op() == Op.OUTER) {
      return column ? new T(a.apply(0, 2) + dot() + a.apply(1, 5) + t, 2)
          : new T(a.apply(0, 5) + t + dot() + a.apply(1, 3), 2);
    }
    int l = n.input(0).shape().rank();
    int r = n.input(1).shape().rank();
    if (!column && l == 2 && r == 1) {
      return new T(a.apply(1, 2) + dot() + a.apply(0, 5) + t, 2);
    }
    if (column && l == 1 && r == 2) {
      return new T(a.apply(1, 5) + t + dot() + a.apply(0, 3), 2);
    }
    return new T(a.apply(0, 2) + dot() + a.apply(1, 3), 2);
  }

  /** Renders {@code n}; operand {@code negAt} (or none when -1) is printed negated. */
  private T render(Node n, int negAt) {
    List<Node> in = n.inputs();
    java.util.function.BiFunction<Integer, Integer, String> a = (i, outer) ->
        i == negAt ? at(term(in.get(i), true), outer) : e(in.get(i), outer);
    Convolutions.Form conv = negAt < 0 ? Convolutions.of(n, this::named) : null;
    if (conv != null) {
      return convolution(conv);
    }
    return switch (n.op()) {
      case UNARY, BINARY -> elementwise(n, a);
      case INPUT, TARGET, PARAM, CONST -> new T(latex ? Explainer.texIdent(n.name()) : n.name(),
          ATOM);
      case NUMBER -> new T(number(n.value()), n.value() < 0 ? 3 : ATOM);
      case BATCH_SIZE -> new T("B", ATOM);
      case MAX_POOL, RESHAPE -> new T(shaping(n, a), ATOM);
      case SOFTMAX, LOG_SOFTMAX, LOGSUMEXP, SUM_ROWS, IM2COL, COL2IM, MAX_UNPOOL, AVG_POOL,
          AVG_UNPOOL -> new T(fn(n, whole(in.size(), a)), ATOM);
      case SUM -> {
        Node x = in.get(0);
        if (x.is(Fn.MUL) && x.shape().rank() == 1 && !named(x)
            && x.input(0).shape().equals(x.input(1).shape())) {
          // sum(a ⊙ b) of two vectors is the dot product a · b
          boolean nl = negAt == 0 && term(x.input(0), true) != null;
          boolean nr = negAt == 0 && !nl;
          String l = nl ? at(term(x.input(0), true), 3) : e(x.input(0), 3);
          String r = nr ? at(term(x.input(1), true), 3) : e(x.input(1), 3);
          yield new T(l + sym(" · ", " \\cdot ") + r, 2);
        }
        yield new T(fn(n, a.apply(0, 0)), ATOM);
      }
      case TRANSPOSE -> new T(a.apply(0, 5) + sym("ᵀ", "^{\\top}"), 5);
      case INDEX -> new T(a.apply(0, 5) + "[" + n.index() + "]", 5);
      case PLACE -> new T(fn("place", "\\operatorname{place}", a.apply(0, 0),
          Integer.toString(n.index())), ATOM);
      case BROADCAST, CUSTOM -> term(in.get(0), negAt == 0);
      case MATMUL, OUTER -> product(n, a);
      case BATCH_SUM -> new T(sym("Σ_b ", "\\sum_{b} ") + a.apply(0, 2), 2);
      case BATCH_MEAN -> new T(fn("mean_b", "\\operatorname{mean}_{b}", a.apply(0, 0)), ATOM);
    };
  }

  /** An elementwise function: the arithmetic operators by precedence, every other row's notation. */
  private T elementwise(Node n, java.util.function.BiFunction<Integer, Integer, String> a) {
    List<Node> in = n.inputs();
    return switch (n.fn()) {
      case ADD -> new T(a.apply(0, 1) + " + " + a.apply(1, 1), 1);
      case SUB -> new T(a.apply(0, 1) + sym(" − ", " - ") + a.apply(1, 2), 1);
      case MUL -> {
        boolean scalar = in.get(0).shape().isScalar() || in.get(1).shape().isScalar();
        String o = scalar ? sym(" · ", " \\cdot ") : sym(" ⊙ ", " \\odot ");
        // (δ2 · W2) ⊙ σ'(z1): a product of another kind inside ⊙ gets parentheses
        Node l = in.get(0);
        boolean other = !scalar && (l.op() == Op.MATMUL || l.op() == Op.OUTER
            || Convolutions.of(l, this::named) != null || l.is(Fn.MUL) && (l.input(0).shape().isScalar() || l.input(1).shape().isScalar()));
        yield new T(a.apply(0, other && !named(l) ? 3 : 2) + o
            + a.apply(1, in.get(1).is(Fn.MUL) ? 2 : 3), 2);
      }
      case DIV -> {
        if (in.get(1).op() == Op.BATCH_SIZE && (in.get(0).op() == Op.BATCH_SUM
            || !named(in.get(0))
            && Convolutions.of(in.get(0), this::named) instanceof Convolutions.Filters)) {
          yield new T(sym("(1/B) ", "\\frac{1}{B} ") + a.apply(0, 2), 2);
        }
        yield latex ? new T("\\frac{" + a.apply(0, 0) + "}{" + a.apply(1, 0) + "}", ATOM)
            : new T(a.apply(0, 2) + " / " + a.apply(1, 3), 2);
      }
      case POW -> new T(a.apply(0, 5) + "^" + (latex ? "{" + a.apply(1, 0) + "}"
          : a.apply(1, 5)), 4);
      case NEG -> new T(sym("−", "-") + a.apply(0, 4), 3);
      default -> new T(n.fn().math(latex, whole(in.size(), a)), ATOM);
    };
  }

  /** The first {@code count} operands, each printed whole (as inside parentheses). */
  private static String[] whole(int count, java.util.function.BiFunction<Integer, Integer, String> a) {
    String[] args = new String[count];
    for (int i = 0; i < count; i++) {
      args[i] = a.apply(i, 0);
    }
    return args;
  }

  /**
   * {@code max_pool(x)} of an image's own maxima (the argmax read from the pooled image itself),
   * and {@code flatten(x)} of an image or matrix made a vector.
   */
  private String shaping(Node n, java.util.function.BiFunction<Integer, Integer, String> a) {
    List<Node> in = n.inputs();
    if (n.op() == Op.MAX_POOL) {
      return in.get(0) == in.get(1) ? fn(n, a.apply(1, 0)) : fn(n, a.apply(0, 0), a.apply(1, 0));
    }
    return n.shape().rank() == 1 && in.get(0).shape().rank() > 1
        ? fn("flatten", "\\operatorname{flatten}", a.apply(0, 0)) : fn(n, a.apply(0, 0));
  }

  /**
   * A convolution form: {@code W ⋆ x + b}, {@code Wᵀ ⋆ δ}, {@code Σ_b δ ⋆ x} or {@code Σ_hw δ};
   * ⋆ carries the stride and padding that are not 1 and 0.
   */
  private T convolution(Convolutions.Form f) {
    if (f instanceof Convolutions.Conv c) {
      String s = e(c.weights(), 3) + star(c.window()) + e(c.input(), 3);
      return c.bias() == null ? new T(s, 2) : new T(s + " + " + e(c.bias(), 1), 1);
    }
    if (f instanceof Convolutions.Transposed t) {
      return new T(e(t.weights(), 5) + sym("ᵀ", "^{\\top}") + star(t.window()) + e(t.delta(), 3),
          2);
    }
    if (f instanceof Convolutions.Filters fl) {
      return new T(sym("Σ_b ", "\\sum_{b} ") + e(fl.delta(), 3) + star(fl.window())
          + e(fl.input(), 3), 2);
    }
    return new T(sym("Σ_hw ", "\\sum_{h,w} ") + e(((Convolutions.Positions) f).delta(), 3), 2);
  }

  /** The cross-correlation operator, with its stride and padding when they are not 1 and 0. */
  private String star(org.gradc.ir.Window w) {
    List<String> opts = new ArrayList<>();
    if (w.stride() != 1) {
      opts.add(sym("stride=", "\\mathrm{stride}=") + w.stride());
    }
    if (w.padding() != 0) {
      opts.add(sym("padding=", "\\mathrm{padding}=") + w.padding());
    }
    if (opts.isEmpty()) {
      return sym(" ⋆ ", " \\star ");
    }
    return latex ? " \\star_{" + String.join(",\\ ", opts) + "} "
        : " ⋆[" + String.join(", ", opts) + "] ";
  }
}
