package org.gradc.codegen;

import static org.gradc.codegen.Loops.add;
import static org.gradc.codegen.Loops.mul;

import com.palantir.javapoet.CodeBlock;
import org.gradc.ir.Node;
import org.gradc.ir.Op;
import org.gradc.ir.Window;

/**
 * The loop nests of the sliding-window kernels (im2col, col2im, max and average pooling and their
 * adjoints) for one example, inside the caller's loop over the batch: channels, output rows and
 * columns, then the window's rows and columns, with the padding tested only when there is some.
 * Everything is array arithmetic on literal bounds; nothing is called per element.
 */
final class WindowLoops {
  private WindowLoops() {}

  /** Writes {@code n}'s loops for example {@code e} of the enclosing loop. */
  static void write(Node n, Ctx ctx, CodeBlock.Builder b) {
    Window w = n.window();
    Node x = n.input(0);
    boolean scatter = n.op() == Op.COL2IM || n.op() == Op.AVG_UNPOOL || n.op() == Op.MAX_UNPOOL;
    if (scatter) {
      b.beginControlFlow("for (int j = 0; j < $L; j++)", n.shape().size());
      b.addStatement("$L = $L", ctx.ref(n, "e", "j"), ctx.type.spelled("0.0"));
      b.endControlFlow();
    }
    int k = w.kernel();
    String pooled = add(mul("c", w.positions()), mul("oy", w.outWidth()), "ox");
    b.beginControlFlow("for (int c = 0; c < $L; c++)", w.channels());
    b.beginControlFlow("for (int oy = 0; oy < $L; oy++)", w.outHeight());
    b.beginControlFlow("for (int ox = 0; ox < $L; ox++)", w.outWidth());
    switch (n.op()) {
      case AVG_POOL -> b.addStatement("$L s = $L", ctx.type.name(), ctx.type.spelled("0.0"));
      case AVG_UNPOOL -> b.addStatement("$L s = $L * $L", ctx.type.name(),
          ctx.ref(x, "e", pooled), ctx.type.literal(1.0 / (k * k)));
      case MAX_POOL, MAX_UNPOOL -> {
        b.addStatement("int best = -1");
        b.addStatement("$L top = $L", ctx.type.name(), ctx.type.spelled("0.0"));
      }
      default -> { }
    }
    b.beginControlFlow("for (int ky = 0; ky < $L; ky++)", k);
    b.addStatement("int iy = $L", add(mul("oy", w.stride()), "ky") + offset(w));
    b.beginControlFlow("for (int kx = 0; kx < $L; kx++)", k);
    b.addStatement("int ix = $L", add(mul("ox", w.stride()), "kx") + offset(w));
    String pixel = add(mul("c", w.height() * w.width()), mul("iy", w.width()), "ix");
    String inside = w.padding() == 0 ? null
        : "iy >= 0 && iy < " + w.height() + " && ix >= 0 && ix < " + w.width();
    String column = columnIndex(w);
    switch (n.op()) {
      case IM2COL -> b.addStatement("$L = $L", ctx.ref(n, "e", column), inside == null
          ? ctx.ref(x, "e", pixel)
          : "(" + inside + ") ? " + ctx.ref(x, "e", pixel) + " : " + ctx.type.spelled("0.0"));
      case COL2IM -> guarded(b, inside, ctx.ref(n, "e", pixel) + " += " + ctx.ref(x, "e", column));
      case AVG_POOL -> guarded(b, inside, "s += " + ctx.ref(x, "e", pixel));
      case AVG_UNPOOL -> guarded(b, inside, ctx.ref(n, "e", pixel) + " += s");
      default -> {
        String cond = "(best < 0 || " + ctx.ref(x, "e", pixel) + " > top)";
        b.beginControlFlow("if ($L$L)", inside == null ? "" : inside + " && ", cond);
        b.addStatement("best = $L", pixel);
        b.addStatement("top = $L", ctx.ref(x, "e", "best"));
        b.endControlFlow();
      }
    }
    b.endControlFlow();
    b.endControlFlow();
    switch (n.op()) {
      case AVG_POOL -> b.addStatement("$L = s * $L", ctx.ref(n, "e", pooled),
          ctx.type.literal(1.0 / (k * k)));
      case MAX_POOL -> b.addStatement("$L = $L", ctx.ref(n, "e", pooled),
          ctx.ref(n.input(1), "e", "best"));
      case MAX_UNPOOL -> b.addStatement("$L += $L", ctx.ref(n, "e", "best"),
          ctx.ref(n.input(1), "e", pooled));
      default -> { }
    }
    b.endControlFlow();
    b.endControlFlow();
    b.endControlFlow();
  }

  /** The row of output position (oy, ox) and the column of (c, ky, kx) in an im2col matrix. */
  private static String columnIndex(Window w) {
    int k = w.kernel();
    String position = add(mul("oy", w.outWidth()), "ox");
    String row = position.contains(" + ") ? "(" + position + ")" : position;
    return add(mul(row, w.channels() * k * k), mul("c", k * k), mul("ky", k), "kx");
  }

  /** {@code " - padding"}, or nothing without padding. */
  private static String offset(Window w) {
    return w.padding() == 0 ? "" : " - " + w.padding();
  }

  private static void guarded(CodeBlock.Builder b, String inside, String statement) {
    if (inside == null) {
      b.addStatement(statement);
    } else {
      b.beginControlFlow("if ($L)", inside);
      b.addStatement(statement);
      b.endControlFlow();
    }
  }
}
