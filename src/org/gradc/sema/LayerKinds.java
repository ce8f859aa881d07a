package org.gradc.sema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.gradc.ast.Stmt;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;
import org.gradc.ir.Shape;
import org.gradc.runtime.InitSpec;

/**
 * The kinds of layer a {@code layer NAME = KIND(…)} statement may name, one row each: the checks
 * of its arguments, its parameters (field, shape, default initializer; declared as
 * {@code NAME.FIELD}) and the lowering of the layer to graph nodes. Adding a kind is adding a row.
 */
final class LayerKinds {
  private LayerKinds() {}

  /** One parameter of a layer: {@code NAME.field}, its shape and its initializer. */
  record ParamSpec(String field, Shape shape, InitSpec init) {}

  /**
   * A layer whose arguments passed the checks: its parameters in declaration order, and the
   * function that builds its value from the parameter nodes by field (null after an error, which
   * it reported).
   */
  record Checked(List<ParamSpec> params, Function<Map<String, Node>, Node> build) {
    Checked {
      params = List.copyOf(params);
    }
  }

  /** A row of the table. */
  interface Kind {
    /** The function name of the statement ({@code dense}). */
    String name();

    /** The fields as a phrase, for messages ({@code W and b}). */
    String fields();

    /**
     * Checks the statement's arguments (lowering the expressions among them), reporting every
     * error through {@code lowering}; empty after an error.
     */
    Optional<Checked> check(Stmt.Layer l, ExprLowering lowering);
  }

  private static final Map<String, Kind> TABLE = new LinkedHashMap<>();

  private static void row(Kind k) {
    TABLE.put(k.name(), k);
  }

  static {
    row(new Dense());
    row(new LayerNorm());
    ImageLayers.kinds().forEach(LayerKinds::row);
  }

  static Optional<Kind> lookup(String name) {
    return Optional.ofNullable(TABLE.get(name));
  }

  /** The kinds' names for a message: {@code dense, layernorm, …, avgpool2d or flatten}. */
  static String names() {
    List<String> all = List.copyOf(TABLE.keySet());
    return all.size() == 1 ? all.get(0)
        : String.join(", ", all.subList(0, all.size() - 1)) + " or " + all.get(all.size() - 1);
  }

  /**
   * {@code dense(IN, UNITS[, ACT])}: {@code ACT(IN @ W + b)} with {@code W [in, UNITS]} (Xavier,
   * or He for relu and leaky_relu) and {@code b [UNITS]} (zeros).
   */
  private static final class Dense implements Kind {
    @Override
    public String name() {
      return "dense";
    }

    @Override
    public String fields() {
      return "W and b";
    }

    @Override
    public Optional<Checked> check(Stmt.Layer l, ExprLowering x) {
      if (l.args().size() < 2 || l.args().size() > 3) {
        x.error(l.function().span(), "'dense' takes 2 or 3 arguments (input, units, activation), but "
            + l.args().size() + (l.args().size() == 1 ? " was" : " were") + " given");
        return Optional.empty();
      }
      Node input = x.lower(l.args().get(0));
      Optional<Integer> units = x.units(l.args().get(1));
      if (ImageLayers.options(l, x, Map.of()).isEmpty()) {
        return Optional.empty();
      }
      Optional<String> activation = l.args().size() == 3 ? x.activation(l.args().get(2))
          : Optional.of("");
      if (input == null || units.isEmpty() || activation.isEmpty()) {
        return Optional.empty();
      }
      Shape in = input.shape();
      if (in.rank() < 1) {
        x.error(l.args().get(0).span(), "dense input must be a vector or a matrix, but '"
            + x.text(l.args().get(0).span()) + "' has shape " + in);
        return Optional.empty();
      }
      int n = in.dim(in.rank() - 1);
      long weights = (long) n * units.get();
      if (weights > Shape.MAX_ELEMENTS) {
        x.error(l.args().get(1).span(), "dense layer '" + l.name().text()
            + "' would have a weight of shape [" + n + ", " + units.get() + "] with " + weights
            + " elements; the most one value may have is " + Shape.MAX_ELEMENTS);
        return Optional.empty();
      }
      String act = activation.get();
      boolean he = act.equals("relu") || act.equals("leaky_relu");
      return Optional.of(new Checked(List.of(
          new ParamSpec("W", Shape.of(n, units.get()), he ? new InitSpec.He() : new InitSpec.Xavier()),
          new ParamSpec("b", Shape.of(units.get()), new InitSpec.Zeros())),
          p -> {
            GraphBuilder g = x.graph();
            Node z = x.shaped(l.function().span(), l.span(),
                () -> g.add(g.matmul(input, p.get("W")), p.get("b")));
            return z == null || act.isEmpty() ? z : x.activate(act, z, l);
          }));
    }
  }

  /** The epsilon of {@code torch.nn.LayerNorm}. */
  static final double LAYERNORM_EPS = 1e-5;

  /**
   * {@code layernorm(IN)}: each row of IN (the vector itself, or each row of a matrix) less its
   * mean, divided by {@code sqrt(var + 1e-5)} with the biased variance, times {@code gamma}
   * (ones) plus {@code beta} (zeros), both of the last axis' size, as {@code torch.nn.LayerNorm(n)}.
   */
  private static final class LayerNorm implements Kind {
    @Override
    public String name() {
      return "layernorm";
    }

    @Override
    public String fields() {
      return "gamma and beta";
    }

    @Override
    public Optional<Checked> check(Stmt.Layer l, ExprLowering x) {
      if (l.args().size() != 1) {
        x.error(l.function().span(), "'layernorm' takes 1 argument (input), but "
            + l.args().size() + (l.args().size() == 1 ? " was" : " were") + " given");
        return Optional.empty();
      }
      Node input = x.lower(l.args().get(0));
      if (input == null || ImageLayers.options(l, x, Map.of()).isEmpty()) {
        return Optional.empty();
      }
      Shape in = input.shape();
      if (in.rank() < 1) {
        x.error(l.args().get(0).span(), "layernorm input must be a vector or a matrix, but '"
            + x.text(l.args().get(0).span()) + "' has shape " + in);
        return Optional.empty();
      }
      Shape last = Shape.of(in.dim(in.rank() - 1));
      return Optional.of(new Checked(List.of(
          new ParamSpec("gamma", last, new InitSpec.Ones()),
          new ParamSpec("beta", last, new InitSpec.Zeros())),
          p -> x.shaped(l.function().span(), l.span(),
              () -> normalize(x.graph(), input, p.get("gamma"), p.get("beta")))));
    }

    /** (v - mean) / sqrt(var + eps) * gamma + beta along the last axis. */
    private static Node normalize(GraphBuilder g, Node v, Node gamma, Node beta) {
      Shape s = v.shape();
      Node n = g.number(s.dim(s.rank() - 1));
      Node mean = g.div(g.sumLast(v), n);
      Node centered = g.sub(v, g.expandLast(mean, s));
      Node variance = g.div(g.sumLast(g.mul(centered, centered)), n);
      Node std = g.sqrt(g.add(variance, g.number(LAYERNORM_EPS)));
      return g.add(g.mul(g.div(centered, g.expandLast(std, s)), gamma), beta);
    }
  }
}
