package org.gradc.explain;

import java.util.List;
import java.util.Locale;
import org.gradc.explain.Explanation.Section;
import org.gradc.explain.Explanation.Step;
import org.gradc.ir.Numbers;
import org.gradc.ir.Shape;

/**
 * Renders an {@link Explanation} as plain Unicode text or as Markdown with LaTeX math ({@code $…$},
 * as GitHub renders it). Numbers are printed with three decimals, like the worked examples of the
 * articles; long tensors show their first elements and an ellipsis.
 */
public final class StoryWriter {
  private static final int MAX_ELEMENTS = 8;
  private static final int MAX_ROWS = 6;

  private StoryWriter() {}

  /** Plain Unicode text. */
  public static String text(Explanation e) {
    StringBuilder sb = new StringBuilder();
    sb.append("Backpropagation in model ").append(e.model()).append("  (").append(e.file())
        .append(")\n");
    sb.append(numbersNote(e)).append('\n');
    sb.append("Notation: · scalar, dot or matrix product; ⊙ elementwise product; ")
        .append(e.column() ? "a · bᵀ" : "aᵀ · b")
        .append(" outer product; Σ_b sum over the B examples of the batch")
        .append(e.convolutions() ? "; W ⋆ x cross-correlation (as conv2d; ⋆[stride=…, padding=…]"
            + " when not 1 and 0), Wᵀ ⋆ δ its transpose, δ ⋆ x the filters' gradient, Σ_hw sum"
            + " over the positions" : "").append('\n');
    int i = 1;
    for (Section s : e.sections()) {
      sb.append('\n').append(i++).append(". ").append(s.title()).append(" (").append(s.intro())
          .append(")\n");
      for (Step st : s.steps()) {
        textStep(sb, st, "   ");
      }
    }
    sb.append('\n').append(i).append(". Cost (operations per example)\n");
    sb.append("   ").append(costLine(e.cost())).append('\n');
    return sb.toString();
  }

  private static void textStep(StringBuilder sb, Step st, String indent) {
    sb.append(indent).append(st.name()).append(" = ").append(st.text());
    if (!st.note().isEmpty()) {
      sb.append("      (").append(st.note()).append(')');
    }
    sb.append('\n');
    for (Step w : st.where()) {
      sb.append(indent).append("   where ").append(w.name()).append(" = ").append(w.text())
          .append('\n');
      if (w.value() != null) {
        sb.append(indent).append("      → ").append(w.name()).append(" = ")
            .append(format(w.value(), w.shape())).append('\n');
      }
    }
    if (st.value() != null) {
      sb.append(indent).append("   → ").append(st.name()).append(" = ")
          .append(format(st.value(), st.shape())).append('\n');
    }
  }

  /**
   * The derivation alone, as {@code gradc grad} prints it: the pre-activations the story names,
   * then every error signal and parameter gradient, one line each in the very text of the story
   * (auxiliary definitions such as {@code σ'(z1)} on a line of their own before their use).
   */
  public static String gradients(Explanation e, boolean latex) {
    StringBuilder sb = new StringBuilder();
    List<Step> objective = e.sections().get(1).steps();
    Step mean = objective.get(objective.size() - 1);
    line(sb, latex, mean.name(), mean.texName(), mean.text(), mean.tex());
    for (Section s : e.sections()) {
      for (Step st : s.steps()) {
        if (s == e.sections().get(1) || s == e.sections().get(0) && st.modelName()) {
          continue;
        }
        for (Step w : st.where()) {
          line(sb, latex, w.name(), w.texName(), w.text(), w.tex());
        }
        line(sb, latex, st.name(), st.texName(), st.text(), st.tex());
      }
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, boolean latex, String name, String texName,
      String text, String tex) {
    sb.append(latex ? texName : name).append(" = ").append(latex ? tex : text).append('\n');
  }

  /** Markdown with LaTeX math. */
  public static String markdown(Explanation e) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Backpropagation in `").append(e.model()).append("`\n\n");
    sb.append("Source: `").append(e.file()).append("`. ").append(numbersNote(e)).append("\n\n");
    sb.append("Notation: $\\cdot$ scalar, dot or matrix product; $\\odot$ elementwise product; $")
        .append(e.column() ? "a \\cdot b^{\\top}" : "a^{\\top} \\cdot b")
        .append("$ outer product; $\\sum_{b}$ sum over the $B$ examples of the batch")
        .append(e.convolutions() ? "; $W \\star x$ cross-correlation (as conv2d; "
            + "$\\star_{\\mathrm{stride}=s,\\ \\mathrm{padding}=p}$ when not 1 and 0), "
            + "$W^{\\top} \\star \\delta$ its transpose, $\\delta \\star x$ the filters' "
            + "gradient, $\\sum_{h,w}$ sum over the positions" : "").append(".\n");
    int i = 1;
    for (Section s : e.sections()) {
      sb.append("\n## ").append(i++).append(". ").append(s.title()).append("\n\n_")
          .append(s.intro().replace("δ_k", "$\\delta_k$").replace("∂loss/∂z_k",
              "$\\partial\\, \\mathrm{loss} / \\partial z_k$").replace("Σ_b", "$\\sum_{b}$"))
          .append("_\n\n");
      for (Step st : s.steps()) {
        sb.append("- $").append(st.texName()).append(" = ").append(st.tex()).append('$');
        if (!st.note().isEmpty()) {
          sb.append(" (").append(st.note().replace("∂loss/∂", "gradient of the loss with respect"
              + " to ")).append(')');
        }
        sb.append('\n');
        for (Step w : st.where()) {
          sb.append("  - where $").append(w.texName()).append(" = ").append(w.tex()).append("$");
          if (w.value() != null) {
            sb.append(": `").append(w.name()).append(" = ").append(format(w.value(), w.shape()))
                .append('`');
          }
          sb.append('\n');
        }
        if (st.value() != null) {
          sb.append("  - `").append(st.name()).append(" = ")
              .append(format(st.value(), st.shape())).append("`\n");
        }
      }
    }
    sb.append("\n## ").append(i).append(". Cost (operations per example)\n\n")
        .append(costLine(e.cost())).append('\n');
    return sb.toString();
  }

  private static String numbersNote(Explanation e) {
    if (e.batchSize() == 0) {
      return "Symbols only; give --values V.json for the numbers at every step.";
    }
    return (e.batchSize() == 1 ? "Numbers for the batch of one example"
        : e.example() == 0 ? "Numbers for the first of the " + e.batchSize() + " examples of the batch"
        : "Numbers for example " + e.example() + " (counted from 0) of the " + e.batchSize()
            + " examples of the batch")
        + " (gradients: the batch mean), three decimals.";
  }

  private static String costLine(Explanation.Cost c) {
    return "forward " + c.forward() + ", backward " + c.backward()
        + String.format(Locale.ROOT, " (%.2f× the forward pass);", c.ratio())
        + " a multiply-add, or one elementwise step, counts as one";
  }

  /** Three decimals: a number, [a, b, …], [[…], […]], and so on for every axis. */
  public static String format(double[] v, Shape s) {
    return s.rank() == 0 ? num(v[0]) : nested(v, 0, s, 0);
  }

  /** The sub-tensor at {@code from} along {@code axis} and after; at most MAX_ROWS per axis. */
  private static String nested(double[] v, int from, Shape s, int axis) {
    if (axis == s.rank() - 1) {
      return row(v, from, s.dim(axis));
    }
    int stride = 1;
    for (int a = axis + 1; a < s.rank(); a++) {
      stride *= s.dim(a);
    }
    int rows = s.dim(axis);
    StringBuilder sb = new StringBuilder("[");
    for (int r = 0; r < Math.min(rows, MAX_ROWS); r++) {
      sb.append(r > 0 ? ", " : "").append(nested(v, from + r * stride, s, axis + 1));
    }
    return sb.append(rows > MAX_ROWS ? ", …]" : "]").toString();
  }

  private static String row(double[] v, int from, int n) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < Math.min(n, MAX_ELEMENTS); i++) {
      sb.append(i > 0 ? ", " : "").append(num(v[from + i]));
    }
    return sb.append(n > MAX_ELEMENTS ? ", …]" : "]").toString();
  }

  /** One number with three decimals; negative zero prints as 0.000. */
  public static String num(double x) {
    return Numbers.fixed(x, 3);
  }
}
