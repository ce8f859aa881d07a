package org.gradc.explain;

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
    sb.append("Notation: · scalar, dot or matrix product; ⊙ elementwise product; aᵀ · b outer"
        + " product; Σ_b sum over the B examples of the batch\n");
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

  /** Markdown with LaTeX math. */
  public static String markdown(Explanation e) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Backpropagation in `").append(e.model()).append("`\n\n");
    sb.append("Source: `").append(e.file()).append("`. ").append(numbersNote(e)).append("\n\n");
    sb.append("Notation: $\\cdot$ scalar, dot or matrix product; $\\odot$ elementwise product;"
        + " $a^{\\top} \\cdot b$ outer product; $\\sum_{b}$ sum over the $B$ examples of the"
        + " batch.\n");
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

  /** Three decimals: a number, [a, b, …] or [[…], […]]. */
  public static String format(double[] v, Shape s) {
    if (s.rank() == 0) {
      return num(v[0]);
    }
    if (s.rank() == 1) {
      return row(v, 0, s.dim(0));
    }
    StringBuilder sb = new StringBuilder("[");
    int rows = s.dim(0);
    int cols = s.dim(1);
    for (int r = 0; r < Math.min(rows, MAX_ROWS); r++) {
      sb.append(r > 0 ? ", " : "").append(row(v, r * cols, cols));
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
