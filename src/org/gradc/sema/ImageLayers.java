package org.gradc.sema;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gradc.ast.Expr;
import org.gradc.ast.Stmt;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;
import org.gradc.ir.Shape;
import org.gradc.ir.ShapeException;
import org.gradc.ir.Window;
import org.gradc.runtime.InitSpec;

/**
 * The layer kinds over per-example images {@code [C, H, W]}, rows of {@link LayerKinds}:
 * {@code conv2d}, {@code maxpool2d}, {@code avgpool2d} and {@code flatten}, shaped as PyTorch's
 * {@code Conv2d}, {@code MaxPool2d}, {@code AvgPool2d} and {@code Flatten}.
 */
final class ImageLayers {
  private ImageLayers() {}

  /** The rows, in the order the table lists them. */
  static List<LayerKinds.Kind> kinds() {
    return List.of(new Conv2d(), new Pool("maxpool2d"), new Pool("avgpool2d"), new Flatten());
  }

  /**
   * {@code conv2d(IN, FILTERS, KERNEL[, stride=S, padding=P][, ACT])}: the cross-correlation of
   * IN [C, H, W] with {@code W [FILTERS, C, K, K]} (He for relu and leaky_relu, else Glorot) plus
   * {@code b [FILTERS]} (zeros), giving [FILTERS, OH, OW]. It is built from existing ops: the
   * windows as rows (im2col [P, C·K·K]) times the filters as columns, so the products are the
   * ones dense layers use, then turned back to channels first.
   */
  private static final class Conv2d implements LayerKinds.Kind {
    @Override
    public String name() {
      return "conv2d";
    }

    @Override
    public String fields() {
      return "W and b";
    }

    @Override
    public Optional<LayerKinds.Checked> check(Stmt.Layer l, ExprLowering x) {
      int n = l.args().size();
      if (n < 3 || n > 4) {
        x.error(l.function().span(), "'conv2d' takes 3 or 4 arguments (input, filters, kernel, "
            + "activation) and the options stride= and padding=, but " + n
            + (n == 1 ? " was" : " were") + " given");
        return Optional.empty();
      }
      Node input = x.lower(l.args().get(0));
      Optional<Integer> filters = x.units(l.args().get(1));
      Optional<Integer> kernel = x.units(l.args().get(2));
      Optional<String> act = n == 4 ? x.activation(l.args().get(3)) : Optional.of("");
      Optional<Map<String, Integer>> opts = options(l, x, Map.of("stride", 1, "padding", 0));
      if (input == null || filters.isEmpty() || kernel.isEmpty() || act.isEmpty()
          || opts.isEmpty() || !image(l, x, input)) {
        return Optional.empty();
      }
      Shape in = input.shape();
      int k = kernel.get();
      Optional<Window> w = window(l.args().get(2), x, in, k, opts.get().get("stride"),
          opts.get().get("padding"));
      if (w.isEmpty()) {
        return Optional.empty();
      }
      int f = filters.get();
      boolean he = act.get().equals("relu") || act.get().equals("leaky_relu");
      return Optional.of(new LayerKinds.Checked(List.of(
          new LayerKinds.ParamSpec("W", Shape.of(f, in.dim(0), k, k),
              he ? new InitSpec.He() : new InitSpec.Xavier()),
          new LayerKinds.ParamSpec("b", Shape.of(f), new InitSpec.Zeros())),
          p -> {
            GraphBuilder g = x.graph();
            Node z = x.shaped(l.function().span(), l.span(),
                () -> convolve(g, input, p.get("W"), p.get("b"), w.get()));
            return z == null || act.get().isEmpty() ? z : x.activate(act.get(), z, l);
          }));
    }

    /** im2col(x) [P, CKK] @ W as [CKK, F], plus b on every row, as [F, OH, OW]. */
    private static Node convolve(GraphBuilder g, Node x, Node weights, Node bias, Window w) {
      int f = weights.shape().dim(0);
      Node filters = g.transpose(g.reshape(weights, Shape.of(f, w.columns().dim(1))));
      Node rows = g.add(g.matmul(g.im2col(x, w), filters), bias);
      return g.reshape(g.transpose(rows), Shape.of(f, w.outHeight(), w.outWidth()));
    }
  }

  /**
   * {@code maxpool2d(IN, K[, STRIDE])} and {@code avgpool2d(IN, K[, STRIDE])}: the maximum (the
   * gradient goes to the first maximum of a window, in row-major order) or the mean of each K×K
   * window of each channel, windows STRIDE apart (K by default), without padding.
   */
  private record Pool(String name) implements LayerKinds.Kind {
    @Override
    public String fields() {
      return "no parameters";
    }

    @Override
    public Optional<LayerKinds.Checked> check(Stmt.Layer l, ExprLowering x) {
      int n = l.args().size();
      if (n < 2 || n > 3) {
        x.error(l.function().span(), "'" + name + "' takes 2 or 3 arguments (input, kernel, "
            + "stride), but " + n + (n == 1 ? " was" : " were") + " given");
        return Optional.empty();
      }
      Node input = x.lower(l.args().get(0));
      Optional<Integer> kernel = x.units(l.args().get(1));
      Optional<Integer> stride = n == 3 ? x.units(l.args().get(2)) : kernel;
      if (input == null || kernel.isEmpty() || stride.isEmpty() || options(l, x, Map.of()).isEmpty()
          || !image(l, x, input)) {
        return Optional.empty();
      }
      Optional<Window> w = window(l.args().get(1), x, input.shape(), kernel.get(), stride.get(),
          0);
      boolean max = name.equals("maxpool2d");
      return w.map(win -> new LayerKinds.Checked(List.of(), p -> x.shaped(l.function().span(),
          l.span(), () -> max ? x.graph().maxPool(input, input, win)
              : x.graph().avgPool(input, win))));
    }
  }

  /** {@code flatten(IN)}: the elements of IN as one vector, row-major (channels first). */
  private static final class Flatten implements LayerKinds.Kind {
    @Override
    public String name() {
      return "flatten";
    }

    @Override
    public String fields() {
      return "no parameters";
    }

    @Override
    public Optional<LayerKinds.Checked> check(Stmt.Layer l, ExprLowering x) {
      if (l.args().size() != 1) {
        x.error(l.function().span(), "'flatten' takes 1 argument (input), but "
            + l.args().size() + " were given");
        return Optional.empty();
      }
      Node input = x.lower(l.args().get(0));
      if (input == null || options(l, x, Map.of()).isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new LayerKinds.Checked(List.of(), p -> x.graph().reshape(input,
          Shape.of(input.shape().size()))));
    }
  }

  /** Whether IN is an image [C, H, W]; reports it when not. */
  private static boolean image(Stmt.Layer l, ExprLowering x, Node input) {
    if (input.shape().rank() == 3) {
      return true;
    }
    x.error(l.args().get(0).span(), "'" + l.function().text() + "' needs an image [channels, "
        + "height, width], but '" + x.text(l.args().get(0).span()) + "' has shape "
        + input.shape());
    return false;
  }

  /** The windows of side k over the image {@code in}; an invalid one is reported at the kernel. */
  private static Optional<Window> window(Expr kernelArg, ExprLowering x, Shape in, int k,
      int stride, int padding) {
    try {
      return Optional.of(new Window(in.dim(0), in.dim(1), in.dim(2), k, stride, padding));
    } catch (ShapeException e) {
      x.error(kernelArg.span(), e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The named arguments of {@code l}: each must be one of {@code defaults}' keys, at most once,
   * with a positive integer value ({@code padding} may be 0); the defaults fill the rest.
   */
  static Optional<Map<String, Integer>> options(Stmt.Layer l, ExprLowering x,
      Map<String, Integer> defaults) {
    Map<String, Integer> out = new HashMap<>(defaults);
    Map<String, Boolean> seen = new HashMap<>();
    boolean ok = true;
    for (Stmt.Option o : l.options()) {
      String key = o.key().text();
      if (!defaults.containsKey(key)) {
        x.error(o.key().span(), "'" + l.function().text() + "' has no option '" + key + "'"
            + (defaults.isEmpty() ? "" : "; expected " + String.join(" or ",
                new java.util.TreeSet<>(defaults.keySet()))));
        ok = false;
      } else if (seen.put(key, true) != null) {
        x.error(o.key().span(), "option '" + key + "' is given twice");
        ok = false;
      } else if (o.value() instanceof Expr.Num num && num.value() >= 0
          && num.value() == Math.rint(num.value()) && num.value() <= 1 << 20
          && (num.value() >= 1 || key.equals("padding"))) {
        out.put(key, (int) num.value());
      } else {
        x.error(o.value().span(), "'" + key + "' must be a " + (key.equals("padding")
            ? "non-negative" : "positive") + " integer, not '" + x.text(o.value().span()) + "'");
        ok = false;
      }
    }
    return ok ? Optional.of(out) : Optional.empty();
  }
}
