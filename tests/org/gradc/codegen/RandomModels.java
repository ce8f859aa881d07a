package org.gradc.codegen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded generator of random, well-shaped models written as DSL text: random nesting of the
 * operators and builtins over scalars, vectors and matrices, with named intermediates, every
 * parameter kind and a random loss. Arguments of log, sqrt and fractional powers are kept
 * positive and of exp bounded, so values stay finite at random points.
 */
final class RandomModels {
  private final Random rnd;
  private final Map<String, int[]> params = new LinkedHashMap<>();
  private final Map<String, int[]> values = new LinkedHashMap<>();
  private int next;

  private RandomModels(long seed) {
    this.rnd = new Random(seed);
  }

  static String model(long seed) {
    return new RandomModels(seed).build(seed);
  }

  private String build(long seed) {
    StringBuilder body = new StringBuilder();
    StringBuilder decls = new StringBuilder();
    int n = 2 + rnd.nextInt(2);
    decls.append("  input x[").append(n).append("]\n");
    values.put("x", new int[] {n});
    if (rnd.nextBoolean()) {
      decls.append("  input s\n");
      values.put("s", new int[0]);
    }
    if (rnd.nextInt(3) == 0) {
      decls.append("  input m[2, ").append(n).append("]\n");
      values.put("m", new int[] {2, n});
    }
    int k = 2 + rnd.nextInt(2);
    decls.append("  target y[").append(k).append("]\n");
    int statements = 1 + rnd.nextInt(3);
    for (int i = 0; i < statements; i++) {
      int[] shape = randomShape();
      String name = "v" + i;
      body.append("  ").append(name).append(" = ").append(expr(shape, 3)).append('\n');
      values.put(name, shape);
    }
    String pred = expr(new int[] {k}, 3);
    body.append("  out = ").append(pred).append('\n');
    body.append("  output out\n");
    String loss = switch (rnd.nextInt(5)) {
      case 0 -> "mse(out, y)";
      case 1 -> "cross_entropy(out, y)";
      case 2 -> "bce_logits(out, y)";
      case 3 -> "sum(square(out - y)) + 0.1 * " + expr(new int[0], 2);
      default -> "mean(out * y) + " + expr(new int[0], 2);
    };
    body.append("  loss ").append(loss).append('\n');
    StringBuilder p = new StringBuilder();
    for (Map.Entry<String, int[]> e : params.entrySet()) {
      p.append("  param ").append(e.getKey()).append(dims(e.getValue())).append(" = ")
          .append(e.getValue().length == 0 ? "0.5" : "uniform(-1, 1)").append('\n');
    }
    if (params.isEmpty()) {
      p.append("  param w0 = 0.5\n");
      body.append("");
    }
    String text = "model Random" + seed + " {\n" + decls + p + body + "}\n";
    if (params.isEmpty()) {
      text = text.replace("  loss ", "  loss w0 * w0 + ");
    }
    return text;
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

  private String leaf(int[] shape) {
    List<String> candidates = new ArrayList<>();
    values.forEach((n, s) -> {
      if (java.util.Arrays.equals(s, shape)) {
        candidates.add(n);
      }
    });
    params.forEach((n, s) -> {
      if (java.util.Arrays.equals(s, shape)) {
        candidates.add(n);
      }
    });
    if (shape.length == 0 && rnd.nextInt(4) == 0) {
      return String.valueOf(rnd.nextInt(5) + 1) + "." + rnd.nextInt(10);
    }
    if (!candidates.isEmpty() && rnd.nextInt(3) > 0) {
      return candidates.get(rnd.nextInt(candidates.size()));
    }
    String name = (shape.length == 2 ? "W" : shape.length == 1 ? "b" : "p") + next++;
    params.put(name, shape);
    return name;
  }

  private String expr(int[] shape, int depth) {
    if (depth == 0 || rnd.nextInt(5) == 0) {
      return leaf(shape);
    }
    int choice = rnd.nextInt(12);
    String a;
    switch (choice) {
      case 0:
      case 1: {
        String f = List.of("tanh", "sigmoid", "sin", "cos", "softplus", "square", "relu", "abs")
            .get(rnd.nextInt(8));
        return f + "(" + expr(shape, depth - 1) + ")";
      }
      case 2: {
        a = expr(shape, depth - 1);
        return switch (rnd.nextInt(5)) {
          case 0 -> "log(1 + square(" + a + "))";
          case 1 -> "sqrt(softplus(" + a + ") + 0.1)";
          case 2 -> "exp(tanh(" + a + "))";
          case 3 -> "(1.5 + sin(" + a + "))^" + expr(new int[0], 0);
          default -> "(leaky_relu(" + a + ", 0.1) + elu(" + a + ", 1.0))";
        };
      }
      case 3:
      case 4: {
        String op = List.of(" + ", " - ", " * ").get(rnd.nextInt(3));
        int[] other = rnd.nextInt(3) == 0 ? new int[0]
            : shape.length == 2 && rnd.nextBoolean() ? new int[] {shape[1]} : shape;
        String l = expr(shape, depth - 1);
        String r = expr(other, depth - 1);
        return "(" + (rnd.nextBoolean() ? l + op + r : r + op + l) + ")";
      }
      case 5:
        return "(" + expr(shape, depth - 1) + " / (1 + square(" + expr(shape, depth - 1) + ")))";
      case 6:
        return (rnd.nextBoolean() ? "max(" : "min(") + expr(shape, depth - 1) + ", "
            + expr(shape, depth - 1) + ")";
      case 7:
        return "(-" + expr(shape, depth - 1) + ")";
      default:
        return structural(shape, depth);
    }
  }

  /** Products, reductions, indexing, transposes and softmax-like functions of the given shape. */
  private String structural(int[] shape, int depth) {
    int k = 2 + rnd.nextInt(2);
    if (shape.length == 0) {
      int n = 2 + rnd.nextInt(2);
      return switch (rnd.nextInt(6)) {
        case 0 -> "sum(" + expr(randomShape(), depth - 1) + ")";
        case 1 -> "mean(" + expr(randomShape(), depth - 1) + ")";
        case 2 -> "dot(" + expr(new int[] {n}, depth - 1) + ", " + expr(new int[] {n}, depth - 1)
            + ")";
        case 3 -> "logsumexp(" + expr(new int[] {n}, depth - 1) + ")";
        case 4 -> "norm(" + expr(new int[] {n}, depth - 1) + " + 0.5)";
        default -> "(" + expr(new int[] {n}, depth - 1) + ")[" + rnd.nextInt(n) + "]";
      };
    }
    if (shape.length == 1) {
      int n = shape[0];
      return switch (rnd.nextInt(6)) {
        case 0 -> "(" + expr(new int[] {k}, depth - 1) + ") @ (" + expr(new int[] {k, n}, depth - 1) + ")";
        case 1 -> "(" + expr(new int[] {n, k}, depth - 1) + ") @ (" + expr(new int[] {k}, depth - 1) + ")";
        case 2 -> "softmax(" + expr(shape, depth - 1) + ")";
        case 3 -> "log_softmax(" + expr(shape, depth - 1) + ")";
        case 4 -> "(" + expr(new int[] {2, n}, depth - 1) + ")[" + rnd.nextInt(2) + "]";
        default -> "(" + expr(new int[] {n}, depth - 1) + " * " + expr(new int[0], depth - 1) + ")";
      };
    }
    int r = shape[0];
    int c = shape[1];
    return switch (rnd.nextInt(4)) {
      case 0 -> "(" + expr(new int[] {r, k}, depth - 1) + ") @ (" + expr(new int[] {k, c}, depth - 1) + ")";
      case 1 -> "(" + expr(new int[] {c, r}, depth - 1) + ").T";
      case 2 -> "softmax(" + expr(shape, depth - 1) + ")";
      default -> "(" + expr(shape, depth - 1) + " + " + expr(new int[] {c}, depth - 1) + ")";
    };
  }
}
