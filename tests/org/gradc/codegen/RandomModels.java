package org.gradc.codegen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded generator of random, well-typed {@code .grad} files: one to three models sharing
 * file-level defs, each with vector, scalar and matrix inputs, vector and matrix targets, consts,
 * dense layers (linear, with a builtin or a def as activation, on vectors and on matrices) and
 * layernorm layers, named
 * intermediates built from every operator and builtin with every broadcasting rule, several
 * outputs (the prediction, a residual against the targets, a reduction, a layer, a matrix) and
 * every loss. Arguments of log, sqrt and powers are kept positive and of exp bounded, so values
 * stay finite at random points in [-1, 1].
 */
public final class RandomModels {
  /** A generated file and whether each of its models uses an op with a kink (relu, abs, …). */
  public record File(String text, List<String> models, List<Boolean> smooth) {}

  /** File-level defs: name, arity, body. A def is inlined, so {@code second(a, b)} has b's shape. */
  private static final List<String[]> DEFS = List.of(
      new String[] {"swish", "1", "z * sigmoid(z)"},
      new String[] {"mix", "2", "tanh(a) * b + 0.5 * a"},
      new String[] {"second", "2", "tanh(b)"},
      new String[] {"soft_sq", "1", "z * z / (1 + z * z)"});

  private static final List<String> SMOOTH_UNARY =
      List.of("tanh", "sigmoid", "sin", "cos", "softplus", "square", "swish", "soft_sq", "gelu");
  private static final List<String> KINKED_UNARY = List.of("relu", "abs");

  private final Random rnd;
  private final String modelName;
  private final Map<String, int[]> params = new LinkedHashMap<>();
  private final Map<String, int[]> values = new LinkedHashMap<>();
  private final StringBuilder decls = new StringBuilder();
  private boolean smooth = true;
  private int next;

  private RandomModels(Random rnd, String modelName) {
    this.rnd = rnd;
    this.modelName = modelName;
  }

  /** The file of one seed. */
  public static File file(long seed) {
    Random rnd = new Random(seed);
    StringBuilder text = new StringBuilder("// random file, seed " + seed + "\n");
    for (String[] d : DEFS) {
      text.append("def ").append(d[0]).append(d[1].equals("1") ? "(z)" : "(a, b)").append(" = ")
          .append(d[2]).append('\n');
    }
    int count = 1 + (rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(2) : 0);
    List<String> names = new ArrayList<>();
    List<Boolean> smooth = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      RandomModels g = new RandomModels(rnd, "R" + seed + (count == 1 ? "" : "_" + i));
      text.append(g.build());
      names.add(g.modelName);
      smooth.add(g.smooth);
    }
    return new File(text.toString(), names, smooth);
  }

  private String build() {
    StringBuilder body = new StringBuilder();
    int n = 2 + rnd.nextInt(2);
    input("x", n);
    if (rnd.nextBoolean()) {
      input("s");
    }
    if (rnd.nextInt(3) == 0) {
      input("m", 2, n);
    }
    if (rnd.nextInt(3) == 0) {
      int c = 2 + rnd.nextInt(2);
      decls.append("  const C").append(dims(new int[] {c})).append(" = ").append(literal(c))
          .append('\n');
      values.put("C", new int[] {c});
      decls.append("  const half = 0.5\n");
      values.put("half", new int[0]);
    }
    boolean matrixTarget = rnd.nextInt(5) == 0;
    int k = 2 + rnd.nextInt(2);
    int[] outShape = matrixTarget ? new int[] {2, k} : new int[] {k};
    decls.append("  target y").append(dims(outShape)).append('\n');

    List<String> outputs = new ArrayList<>();
    int statements = 1 + rnd.nextInt(3);
    for (int i = 0; i < statements; i++) {
      if (rnd.nextInt(3) == 0) {
        outputs.add(layer(body, "h" + i));
      } else {
        int[] shape = randomShape();
        String name = "v" + i;
        body.append("  ").append(name).append(" = ").append(expr(shape, 3)).append('\n');
        values.put(name, shape);
        if (shape.length == 2 || rnd.nextInt(4) == 0) {
          outputs.add(name);
        }
      }
    }
    body.append("  out = ").append(expr(outShape, 4)).append('\n');
    values.put("out", outShape);
    boolean residual = rnd.nextBoolean();
    if (residual) {
      body.append("  err = out - y\n");
    }
    if (rnd.nextBoolean()) {
      body.append("  total = sum(").append(residual ? "err * err" : "out").append(")\n");
      outputs.add("total");
    }
    List<String> shown = new ArrayList<>();
    shown.add("out");
    if (residual) {
      shown.add("err");
    }
    shown.addAll(outputs.subList(0, Math.min(outputs.size(), 1 + rnd.nextInt(2))));
    java.util.Collections.shuffle(shown, rnd);
    body.append("  output ").append(String.join(", ", shown)).append('\n');
    body.append("  loss ").append(loss(matrixTarget, residual)).append('\n');

    StringBuilder p = new StringBuilder();
    for (Map.Entry<String, int[]> e : params.entrySet()) {
      p.append("  param ").append(e.getKey()).append(dims(e.getValue())).append(" = ")
          .append(init(e.getValue())).append('\n');
    }
    if (params.isEmpty() && !body.toString().contains("dense(")) {
      p.append("  param w0 = 0.5\n");
      return "model " + modelName + " {\n" + decls + p
          + body.toString().replace("  loss ", "  loss w0 * w0 + ") + "}\n";
    }
    return "model " + modelName + " {\n" + decls + p + body + "}\n";
  }

  private void input(String name, int... shape) {
    decls.append("  input ").append(name).append(dims(shape)).append('\n');
    values.put(name, shape);
  }

  /** A dense layer on a vector or matrix value; returns its name. */
  private String layer(StringBuilder body, String name) {
    List<String> ins = new ArrayList<>();
    values.forEach((v, s) -> {
      if (s.length >= 1) {
        ins.add(v);
      }
    });
    String in = ins.get(rnd.nextInt(ins.size()));
    if (rnd.nextInt(4) == 0) {
      body.append("  layer ").append(name).append(" = layernorm(").append(in).append(")\n");
      values.put(name, values.get(in));
      return name;
    }
    int units = 2 + rnd.nextInt(2);
    String act = switch (rnd.nextInt(4)) {
      case 0 -> "";
      case 1 -> ", swish";
      case 2 -> ", " + (rnd.nextInt(4) == 0 ? kinked(pick(KINKED_UNARY)) : pick(SMOOTH_UNARY));
      default -> ", tanh";
    };
    body.append("  layer ").append(name).append(" = dense(").append(in).append(", ").append(units)
        .append(act).append(")\n");
    int[] s = values.get(in);
    values.put(name, s.length == 1 ? new int[] {units} : new int[] {s[0], units});
    return name;
  }

  private String loss(boolean matrixTarget, boolean residual) {
    int choice = rnd.nextInt(matrixTarget ? 3 : 7);
    return switch (choice) {
      case 0 -> "mse(out, y)";
      case 1 -> "sum(square(out - y)) + 0.1 * " + expr(new int[0], 2);
      case 2 -> residual ? "mean(err * err)" : "mean(out * y) + " + expr(new int[0], 2);
      case 3 -> "cross_entropy(out, y)";
      case 4 -> "bce_logits(out, y)";
      // tanh keeps p = sigmoid(..) away from 1, where log(1 - p) is ill-conditioned
      case 5 -> "bce(sigmoid(2 * tanh(out)), y)";
      // away from 0, where norm has no derivative
      default -> "dot(out, y) + norm(out + 0.5)";
    };
  }

  private String init(int[] shape) {
    if (shape.length == 0) {
      return List.of("0.5", "-0.25", "uniform(-1, 1)").get(rnd.nextInt(3));
    }
    return switch (rnd.nextInt(5)) {
      case 0 -> "normal(0, 0.5)";
      case 1 -> shape.length == 2 ? "xavier" : "zeros";
      case 2 -> shape.length == 2 ? "he" : "ones";
      case 3 -> shape.length == 1 ? literal(shape[0]) : "uniform(-1, 1)";
      default -> "uniform(-1, 1)";
    };
  }

  private String literal(int n) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ", ").append(rnd.nextInt(19) - 9).append('.').append(rnd.nextInt(10));
    }
    return b.append(']').toString();
  }

  private int[] randomShape() {
    return switch (rnd.nextInt(4)) {
      case 0 -> new int[0];
      case 1, 2 -> new int[] {2 + rnd.nextInt(2)};
      default -> new int[] {2, 2 + rnd.nextInt(2)};
    };
  }

  private static String dims(int[] shape) {
    if (shape.length == 0) {
      return "";
    }
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      b.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return b.append(']').toString();
  }

  private String pick(List<String> from) {
    return from.get(rnd.nextInt(from.size()));
  }

  private String leaf(int[] shape) {
    List<String> candidates = new ArrayList<>();
    values.forEach((n, s) -> {
      if (Arrays.equals(s, shape)) {
        candidates.add(n);
      }
    });
    params.forEach((n, s) -> {
      if (Arrays.equals(s, shape)) {
        candidates.add(n);
      }
    });
    if (shape.length == 0 && rnd.nextInt(4) == 0) {
      return (rnd.nextInt(5) + 1) + "." + rnd.nextInt(10);
    }
    if (!candidates.isEmpty() && rnd.nextInt(3) > 0) {
      return candidates.get(rnd.nextInt(candidates.size()));
    }
    String name = (shape.length == 2 ? "W" : shape.length == 1 ? "b" : "p") + next++;
    params.put(name, shape);
    return name;
  }

  /** A shape that broadcasts against {@code shape}: itself, a scalar, or a matrix's row. */
  private int[] broadcastPartner(int[] shape) {
    int r = rnd.nextInt(4);
    if (r == 0) {
      return new int[0];
    }
    if (r == 1 && shape.length == 2) {
      return new int[] {shape[1]};
    }
    return shape;
  }

  private String expr(int[] shape, int depth) {
    if (depth == 0 || rnd.nextInt(5) == 0) {
      return leaf(shape);
    }
    switch (rnd.nextInt(14)) {
      case 0:
      case 1:
        return pick(SMOOTH_UNARY) + "(" + expr(shape, depth - 1) + ")";
      case 2: {
        String a = expr(shape, depth - 1);
        return switch (rnd.nextInt(5)) {
          case 0 -> "log(1 + square(" + a + "))";
          case 1 -> "sqrt(softplus(" + a + ") + 0.1)";
          case 2 -> "exp(tanh(" + a + "))";
          case 3 -> "(leaky_relu(" + a + ", 0.1) + elu(" + a + ", 1.0))";
          default -> kinked(pick(KINKED_UNARY) + "(" + a + ")");
        };
      }
      case 3:
        return power(shape, depth);
      case 4:
      case 5: {
        String op = pick(List.of(" + ", " - ", " * "));
        String l = expr(shape, depth - 1);
        String r = expr(broadcastPartner(shape), depth - 1);
        return "(" + (rnd.nextBoolean() ? l + op + r : r + op + l) + ")";
      }
      case 6: {
        int[] other = broadcastPartner(shape);
        return rnd.nextBoolean()
            ? "(" + expr(shape, depth - 1) + " / (1 + square(" + expr(other, depth - 1) + ")))"
            : "(" + expr(other, depth - 1) + " / (1.5 + sin(" + expr(shape, depth - 1) + ")))";
      }
      case 7: {
        String a = expr(shape, depth - 1);
        String b = expr(broadcastPartner(shape), depth - 1);
        return kinked((rnd.nextBoolean() ? "max(" : "min(") + (rnd.nextBoolean() ? a + ", " + b
            : b + ", " + a) + ")");
      }
      case 8:
        return "(-" + expr(shape, depth - 1) + ")";
      case 9: {
        // user defs: inlined, so second(a, b) takes b's shape whatever a's
        return switch (rnd.nextInt(3)) {
          case 0 -> "mix(" + expr(shape, depth - 1) + ", " + expr(broadcastPartner(shape), depth - 1) + ")";
          case 1 -> "second(" + expr(randomShape(), depth - 1) + ", " + expr(shape, depth - 1) + ")";
          default -> "swish(" + expr(shape, depth - 1) + ")";
        };
      }
      default:
        return structural(shape, depth);
    }
  }

  private String kinked(String e) {
    smooth = false;
    return e;
  }

  /** Powers with scalar, equal-shape and row-vector exponents, on a positive base. */
  private String power(int[] shape, int depth) {
    String base = "(1.5 + sin(" + expr(shape, depth - 1) + "))";
    int[] e = broadcastPartner(shape);
    return switch (rnd.nextInt(4)) {
      case 0 -> base + " ^ " + List.of("2", "3", "0.5").get(rnd.nextInt(3));
      case 1 -> base + " ^ tanh(" + expr(e, depth - 1) + ")";
      case 2 -> "2 ^ tanh(" + expr(shape, depth - 1) + ")";
      default -> "(1.5 + sin(" + expr(e, depth - 1) + ")) ^ tanh(" + expr(shape, depth - 1) + ")";
    };
  }

  /** Products, reductions, indexing, transposes and softmax-like functions of the given shape. */
  private String structural(int[] shape, int depth) {
    int k = 2 + rnd.nextInt(2);
    if (shape.length == 0) {
      int n = 2 + rnd.nextInt(2);
      return switch (rnd.nextInt(7)) {
        case 0 -> "sum(" + expr(randomShape(), depth - 1) + ")";
        case 1 -> "mean(" + expr(randomShape(), depth - 1) + ")";
        case 2 -> "dot(" + expr(new int[] {n}, depth - 1) + ", " + expr(new int[] {n}, depth - 1)
            + ")";
        case 3 -> "logsumexp(" + expr(new int[] {n}, depth - 1) + ")";
        case 4 -> "norm(" + expr(new int[] {n}, depth - 1) + " + 0.5)";
        case 5 -> "(" + expr(new int[] {2, n}, depth - 1) + ")[" + rnd.nextInt(2) + "][" + rnd.nextInt(n) + "]";
        default -> "(" + expr(new int[] {n}, depth - 1) + ")[" + rnd.nextInt(n) + "]";
      };
    }
    if (shape.length == 1) {
      int n = shape[0];
      return switch (rnd.nextInt(7)) {
        case 0 -> "((" + expr(new int[] {k}, depth - 1) + ") @ (" + expr(new int[] {k, n}, depth - 1) + "))";
        case 1 -> "((" + expr(new int[] {n, k}, depth - 1) + ") @ (" + expr(new int[] {k}, depth - 1) + "))";
        case 2 -> "softmax(" + expr(shape, depth - 1) + ")";
        case 3 -> "log_softmax(" + expr(shape, depth - 1) + ")";
        case 4 -> "(" + expr(new int[] {2, n}, depth - 1) + ")[" + rnd.nextInt(2) + "]";
        case 5 -> "(" + expr(shape, depth - 1) + ").T";
        default -> "(" + expr(new int[] {n}, depth - 1) + " * " + expr(new int[0], depth - 1) + ")";
      };
    }
    int r = shape[0];
    int c = shape[1];
    return switch (rnd.nextInt(5)) {
      case 0 -> "((" + expr(new int[] {r, k}, depth - 1) + ") @ (" + expr(new int[] {k, c}, depth - 1) + "))";
      case 1 -> "(" + expr(new int[] {c, r}, depth - 1) + ").T";
      case 2 -> "softmax(" + expr(shape, depth - 1) + ")";
      case 3 -> "log_softmax(" + expr(shape, depth - 1) + ")";
      default -> "(" + expr(shape, depth - 1) + " + " + expr(new int[] {c}, depth - 1) + ")";
    };
  }
}
