package org.gradc.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints nodes as readable math, one line per definition. Nodes with a name in {@code names}
 * (DSL names of intermediate values) are printed by name. Nodes with a name in {@code defined}
 * (for example error signals {@code δ_yhat}) and unnamed non-leaf nodes used more than once
 * (named δ1, δ2, … in order of creation) get a line of their own before the roots, so shared
 * subexpressions are not inlined. Output is deterministic.
 *
 * <p>Notation: {@code ·} scalar or matrix product, {@code ⊙} elementwise product of tensors,
 * {@code ⊗} outer product, {@code aᵀ · b} the product summed over the batch (the batch sum of an
 * outer product), {@code Σ_B} a batch sum, {@code [x > 0]} an indicator. Broadcasts are implicit.
 * Elementwise functions print as their {@link Elementwise} row says.
 */
public final class MathPrinter {
  /** Plain Unicode text or LaTeX. */
  public enum Style { UNICODE, LATEX }

  private final Map<Node, String> names;
  private final Map<Node, String> defined;
  private final Style style;

  public MathPrinter(Map<Node, String> names, Map<Node, String> defined, Style style) {
    this.names = Map.copyOf(names);
    this.defined = Map.copyOf(defined);
    this.style = style;
  }

  /**
   * An unnamed node used more than once is inlined at each use only while its text stays this
   * short (in {@link #weight} units); a longer one gets a line of its own.
   */
  static final int MAX_SHARED_INLINE = 200;
  /** Any subexpression longer than this gets a line of its own, so no line grows without bound. */
  static final int MAX_INLINE = 4000;
  /** Nor does any line nest deeper than this, which also bounds the printer's recursion. */
  static final int MAX_DEPTH = 40;

  /**
   * Lines {@code name = expression} for the shared subexpressions and then each labelled root.
   * The output is linear in the size of the graph: an unnamed subexpression is repeated only when
   * it is short, and a deep or long one is cut into lines.
   */
  public String print(Map<String, Node> roots) {
    List<Node> all = Graph.topological(new ArrayList<>(roots.values()));
    Map<Node, Integer> uses = new HashMap<>();
    for (Node n : all) {
      for (Node in : n.inputs()) {
        uses.merge(in, 1, Integer::sum);
      }
    }
    Map<Node, String> lineNames = new LinkedHashMap<>();
    Map<Node, Integer> weight = new HashMap<>();
    Map<Node, Integer> depth = new HashMap<>();
    int counter = 1;
    for (Node n : all) {
      if (names.containsKey(n) || n.op().isLeaf()) {
        weight.put(n, names.containsKey(n) ? names.get(n).length() : weight(n));
        depth.put(n, 0);
        continue;
      }
      int w = weight(n);
      int d = 0;
      for (Node in : n.inputs()) {
        w = (int) Math.min(Integer.MAX_VALUE / 4, (long) w + weight.get(in));
        d = Math.max(d, depth.get(in) + 1);
      }
      weight.put(n, w);
      depth.put(n, d);
      int used = uses.getOrDefault(n, 0);
      boolean shared = used > 1 && (w > MAX_SHARED_INLINE || (n.op() != Op.BROADCAST
          && n.op() != Op.NEG && n.op() != Op.TRANSPOSE));
      boolean big = w > MAX_INLINE || d > MAX_DEPTH;
      if (roots.containsValue(n) && !defined.containsKey(n)
          && !(used > 0 && (big || w > MAX_SHARED_INLINE))) {
        continue;
      }
      String name = defined.get(n);
      if (name == null && (shared || big)) {
        name = "δ" + counter++;
      }
      if (name != null) {
        lineNames.put(n, name);
        weight.put(n, name.length());
        depth.put(n, 0);
      }
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<Node, String> e : lineNames.entrySet()) {
      line(sb, e.getValue(), expr(e.getKey(), lineNames, 0, true));
    }
    for (Map.Entry<String, Node> e : roots.entrySet()) {
      line(sb, e.getKey(), expr(e.getValue(), lineNames, 0, !lineNames.containsKey(e.getValue())));
    }
    return sb.toString();
  }

  /** Roughly the characters a node adds to a line besides its inputs (LaTeX is longer). */
  private static int weight(Node n) {
    return switch (n.op()) {
      case INPUT, TARGET, PARAM, CONST -> n.name().length();
      case NUMBER -> Numbers.format(n.value()).length();
      case BATCH_SIZE -> 1;
      case BROADCAST -> 0;
      default -> 8;
    };
  }

  private void line(StringBuilder sb, String name, String expr) {
    sb.append(ident(name)).append(" = ").append(expr).append('\n');
  }

  private String ident(String name) {
    if (style == Style.UNICODE) {
      return name;
    }
    if (name.startsWith("δ")) {
      String rest = name.substring(1);
      rest = rest.startsWith("_") ? rest.substring(1) : rest;
      return rest.isEmpty() ? "\\delta" : "\\delta_{" + rest.replace("_", "\\_") + "}";
    }
    return name.replace("_", "\\_");
  }

  private String sym(String unicode, String latex) {
    return style == Style.UNICODE ? unicode : latex;
  }

  private String fn(String name, String... args) {
    String head = style == Style.UNICODE ? name
        : "\\operatorname{" + name.replace("_", "\\_") + "}";
    String open = style == Style.UNICODE ? "(" : "\\left(";
    String close = style == Style.UNICODE ? ")" : "\\right)";
    return head + open + String.join(", ", args) + close;
  }

  private static int prec(Node n) {
    return switch (n.op()) {
      case ADD, SUB -> 1;
      case MUL, DIV, MATMUL, OUTER -> 2;
      case NEG -> 3;
      case POW -> 4;
      case TRANSPOSE, INDEX -> 5;
      default -> 6;
    };
  }

  private String expr(Node n, Map<Node, String> lineNames, int outer, boolean expand) {
    if (!expand && lineNames.containsKey(n)) {
      return ident(lineNames.get(n));
    }
    if (names.containsKey(n)) {
      return ident(names.get(n));
    }
    int p = prec(n);
    String s = body(n, lineNames, p);
    return p < outer ? sym("(", "\\left(") + s + sym(")", "\\right)") : s;
  }

  private String sub(Node n, Map<Node, String> lineNames, int outer) {
    return expr(n, lineNames, outer, false);
  }

  private String body(Node n, Map<Node, String> ln, int p) {
    List<Node> in = n.inputs();
    Elementwise row = n.op().elementwise();
    if (row != null && !row.isOperator()) {
      return row.grad(style == Style.LATEX, args(in, ln));
    }
    return switch (n.op()) {
      case INPUT, TARGET, PARAM, CONST -> ident(n.name());
      case NUMBER -> Numbers.format(n.value());
      case BATCH_SIZE -> "B";
      case ADD -> sub(in.get(0), ln, p) + " + " + sub(in.get(1), ln, p);
      case SUB -> sub(in.get(0), ln, p) + sym(" − ", " - ") + sub(in.get(1), ln, p + 1);
      case MUL -> sub(in.get(0), ln, p) + (in.get(0).shape().isScalar()
          || in.get(1).shape().isScalar() ? sym(" · ", " \\cdot ") : sym(" ⊙ ", " \\odot "))
          + sub(in.get(1), ln, in.get(1).op() == Op.MUL ? p : p + 1);
      case DIV -> style == Style.LATEX
          ? "\\frac{" + sub(in.get(0), ln, 0) + "}{" + sub(in.get(1), ln, 0) + "}"
          : sub(in.get(0), ln, p) + " / " + sub(in.get(1), ln, p + 1);
      case POW -> sub(in.get(0), ln, p + 1) + "^" + sym(sub(in.get(1), ln, p + 1),
          "{" + sub(in.get(1), ln, 0) + "}");
      case SOFTMAX, LOG_SOFTMAX, LOGSUMEXP, SUM, SUM_ROWS, BATCH_MEAN -> fn(n.op() == Op.BATCH_MEAN
          ? "mean_B" : n.op().text(), args(in, ln));
      case NEG -> sym("−", "-") + sub(in.get(0), ln, p + 1);
      case TRANSPOSE -> sub(in.get(0), ln, p + 1) + sym("ᵀ", "^{\\top}");
      case INDEX -> sub(in.get(0), ln, p) + "[" + n.index() + "]";
      case PLACE -> fn("place", sub(in.get(0), ln, 0), Integer.toString(n.index()));
      case BROADCAST, CUSTOM -> sub(in.get(0), ln, p);
      case MATMUL -> sub(in.get(0), ln, p) + sym(" · ", " \\cdot ") + sub(in.get(1), ln, p + 1);
      case OUTER -> sub(in.get(0), ln, p) + sym(" ⊗ ", " \\otimes ") + sub(in.get(1), ln, p + 1);
      case BATCH_SUM -> in.get(0).op() == Op.OUTER && !ln.containsKey(in.get(0))
          && !names.containsKey(in.get(0))
          ? sub(in.get(0).input(0), ln, 5) + sym("ᵀ · ", "^{\\top} \\cdot ")
              + sub(in.get(0).input(1), ln, 3)
          : sym("Σ_B ", "\\sum_B ") + sub(in.get(0), ln, 6);
      default -> throw new IllegalStateException("no notation for " + n.op());
    };
  }

  private String[] args(List<Node> in, Map<Node, String> ln) {
    String[] out = new String[in.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = sub(in.get(i), ln, 0);
    }
    return out;
  }
}
