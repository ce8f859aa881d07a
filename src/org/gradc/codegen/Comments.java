package org.gradc.codegen;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.gradc.ir.Fn;
import org.gradc.ir.Node;
import org.gradc.ir.Numbers;
import org.gradc.ir.Op;
import org.gradc.lower.Kernel;
import org.gradc.lower.Plan;

/**
 * The comment text of a generated class: the header quoting the model, the DSL statement each
 * kernel comes from, and a readable formula for what it computes. All user text goes through
 * {@link #comment}.
 */
final class Comments implements Kernel.Visitor<String> {
  private final Plan plan;
  private final ValueNames names;
  private final Derivation derivation;

  Comments(Plan plan, ValueNames names, Derivation derivation) {
    this.plan = plan;
    this.names = names;
    this.derivation = derivation;
  }

  /**
   * The chain-rule step kernel k computes, when the story has one, and the DSL statement it
   * comes from ({@code δ2 = ∂loss/∂yhat ⊙ σ'(z2)     xor.grad:23  yhat = ...}); else the
   * statement alone ({@code grad of xor.grad:22  h = ...}); or null.
   */
  String provenance(Kernel k) {
    Plan.Provenance p = k.copies() ? null : plan.provenance().get(k.out());
    String step = k.copies() ? null : derivation.steps().get(k.out());
    String summed = k.out().op() == Op.BATCH_SUM ? derivation.names().get(k.out().input(0)) : null;
    if (step == null && summed != null) {
      step = "Σ_b " + summed; // the batch sum a bias gradient is divided from
    }
    if (step != null) {
      return comment(step + (p == null ? "" : "     " + p.file() + ":" + p.line() + "  "
          + p.text()));
    }
    return p == null ? null : comment(p.describe());
  }

  /** A readable formula for what a kernel computes, in terms of the names of its operands. */
  String formula(Kernel k) {
    return comment(k.accept(this));
  }

  @Override
  public String copy(Kernel.Copy c) {
    return ValueNames.array(c.dest().array()) + "[" + names.dest(c.dest()) + "] = "
        + operand(c.out());
  }

  @Override
  public String elementwise(Kernel.Elementwise ew) {
    return names.value(ew.out()) + " = " + math(ew.out(), ew.fused(), true);
  }

  @Override
  public String product(Kernel.Product p) {
    Node y = p.product().input(1);
    String x = operand(p.left()) + (p.leftTransposed() ? "^T" : "");
    String prod = p.product().op() == Op.OUTER
        ? "outer(" + x + ", " + operand(y) + ")"
        : x + " @ " + operand(y);
    if (p.epilogue().isPresent()) {
      Kernel.Epilogue e = p.epilogue().get();
      String sum = prod + " + " + operand(e.bias());
      return names.value(p.out()) + " = " + switch (e.activation()) {
        case IDENTITY -> sum + "   (a dense layer: the product and the bias in one call)";
        case RELU, TANH, SIGMOID -> e.activation().name().toLowerCase(java.util.Locale.ROOT)
            + "(" + sum + ")   (a dense layer: the product, bias and activation in one call)";
      };
    }
    if (p.outTransposed()) {
      return names.value(p.out()) + " = ((sum over the batch of " + prod + ")^T"
          + (p.batchMean() ? ") / B" : ")");
    }
    if (p.batchMean()) {
      return names.value(p.out()) + " = (sum over the batch of " + prod + ") / B";
    }
    return names.value(p.out()) + " = " + (p.batchSum() ? "sum over the batch of " + prod
        : prod + (p.product().batched() ? "   (per example: a matrix product over the batch)" : ""));
  }

  @Override
  public String structural(Kernel.Structural k) {
    Node n = k.out();
    String x = operand(n.input(0));
    String rhs = switch (n.op()) {
      case TRANSPOSE -> x + "^T";
      case INDEX -> x + "[" + n.index() + "]";
      case PLACE -> "zeros" + n.shape() + " with row/element " + n.index() + " = " + x;
      case SUM -> "sum(" + x + ")";
      case SUM_ROWS -> "sum over rows of " + x;
      case MAX_POOL, MAX_UNPOOL -> n.op().text() + "(" + x + ", " + operand(n.input(1)) + ")   ("
          + window(n) + ")";
      case IM2COL, COL2IM, AVG_POOL, AVG_UNPOOL -> n.op().text() + "(" + x + ")   (" + window(n) + ")";
      case SOFTMAX, LOG_SOFTMAX, LOGSUMEXP -> n.op().text() + "(" + x + ")";
      case BATCH_SUM -> "sum over the batch of " + x;
      case BATCH_MEAN -> "mean over the batch of " + x;
      case INPUT, TARGET, PARAM, CONST, NUMBER, BATCH_SIZE, UNARY, BINARY, BROADCAST, CUSTOM,
          MATMUL, OUTER, RESHAPE -> n.op().text() + "(" + x + ")";
    };
    return names.value(n) + " = " + rhs;
  }

  private String math(Node n, Set<Node> fused, boolean top) {
    if (!fused.contains(n) || (!top && !fused.contains(n))) {
      return operand(n);
    }
    List<String> a = new ArrayList<>();
    for (Node in : n.inputs()) {
      a.add(fused.contains(in) ? math(in, fused, false) : operand(in));
    }
    String s = switch (n.op()) {
      case UNARY, BINARY -> formula(n.fn(), a);
      case BROADCAST -> a.get(0);
      case INPUT, TARGET, PARAM, CONST, NUMBER, BATCH_SIZE, TRANSPOSE, INDEX, PLACE, CUSTOM,
          RESHAPE, IM2COL, COL2IM, MAX_POOL, MAX_UNPOOL, AVG_POOL, AVG_UNPOOL, SUM, SUM_ROWS,
          MATMUL, OUTER, SOFTMAX, LOG_SOFTMAX, LOGSUMEXP, BATCH_SUM, BATCH_MEAN ->
          n.op().text() + "(" + String.join(", ", a) + ")";
    };
    boolean infix = n.op().isElementwiseBinary() && !n.is(Fn.MAX) && !n.is(Fn.MIN)
        && !n.is(Fn.GREATER_EQ) || n.is(Fn.NEG);
    return !top && infix ? "(" + s + ")" : s;
  }

  /** An elementwise function in the comments' ASCII notation; every other row as a call. */
  private static String formula(Fn f, List<String> a) {
    return switch (f) {
      case ADD, SUB, MUL, DIV -> a.get(0) + " " + f.text() + " " + a.get(1);
      case POW -> a.get(0) + "^" + a.get(1);
      case NEG -> "-" + a.get(0);
      case GREATER_EQ -> "[" + a.get(0) + " >= " + a.get(1) + "]";
      default -> f.text() + "(" + String.join(", ", a) + ")";
    };
  }

  /** A window op's windows: {@code 3x3 windows, stride 1, padding 1, over [1, 8, 8]}. */
  private static String window(Node n) {
    org.gradc.ir.Window w = n.window();
    return w.kernel() + "x" + w.kernel() + " windows, stride " + w.stride() + ", padding "
        + w.padding() + ", over " + w.image();
  }

  private String operand(Node n) {
    return switch (n.op()) {
      case NUMBER -> Numbers.shortest(n.value());
      case BATCH_SIZE -> "B";
      case INPUT, TARGET, PARAM, CONST -> n.name();
      case UNARY, BINARY, TRANSPOSE, INDEX, PLACE, BROADCAST, CUSTOM, RESHAPE, IM2COL, COL2IM,
          MAX_POOL, MAX_UNPOOL, AVG_POOL, AVG_UNPOOL, SUM, SUM_ROWS, MATMUL, OUTER, SOFTMAX,
          LOG_SOFTMAX, LOGSUMEXP, BATCH_SUM, BATCH_MEAN -> names.value(n);
    };
  }

  static String header(Plan plan) {
    List<String> lines = new ArrayList<>();
    lines.add(comment("Generated by gradc from " + plan.model().file() + ", model " + plan.model().name()
        + ". Do not edit; regenerate instead."));
    lines.add("");
    lines.add("Source model:");
    lines.add("");
    for (String line : modelSource(plan).split("\n", -1)) {
      lines.add(comment("  " + line.stripTrailing()));
    }
    return String.join("\n", lines).stripTrailing();
  }

  /** The text of the model's declaration, from {@code model} to its closing brace. */
  private static String modelSource(Plan plan) {
    return plan.model().declaration().replace("\r\n", "\n")
        .replace('\r', '\n');
  }

  /**
   * The one way user text (file names, DSL lines and names, quoted source) reaches generated
   * code: as the text of one comment line. Every Unicode line terminator ({@code \n},
   * {@code \r}, U+0085, U+2028, U+2029) and every other control character becomes a space, so
   * nothing can end a line comment early; backslashes are doubled, so no sequence can become a
   * unicode escape (which javac decodes before lexing, also inside comments); and {@code * /}
   * closes no block or Javadoc comment. Callers break multi-line text into lines themselves.
   */
  static String comment(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        b.append("\\\\");
      } else if (c == '/' && i > 0 && text.charAt(i - 1) == '*') {
        b.append(" /");
      } else if (c == '\t') {
        b.append(c);
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        b.append(' ');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
