package org.gradc.ir;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Reference interpreter of the expression graph: slow and direct, the oracle that generated code
 * and derivatives are checked against. Values are flat row-major {@code double[]}; a batched value
 * of per-example shape s holds B consecutive blocks of {@code s.size()} elements.
 *
 * <p>Leaf values are looked up by name: params unbatched, inputs and targets batched. Constants
 * carry their values; BATCH_SIZE evaluates to B.
 */
public final class Evaluator {
  private final int batch;
  private final Map<String, double[]> leaves;
  private final Map<Node, double[]> memo = new HashMap<>();

  public Evaluator(int batchSize, Map<String, double[]> leafValues) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive");
    }
    this.batch = batchSize;
    this.leaves = Map.copyOf(leafValues);
  }

  /** Evaluates each root; the map iterates in the order of {@code roots}. */
  public static Map<Node, double[]> evaluate(
      Collection<Node> roots, int batchSize, Map<String, double[]> leafValues) {
    Evaluator ev = new Evaluator(batchSize, leafValues);
    Map<Node, double[]> out = new LinkedHashMap<>();
    for (Node r : roots) {
      out.put(r, ev.value(r));
    }
    return out;
  }

  /** The value of {@code n} (a copy; length {@code B * size} if batched, else {@code size}). */
  public double[] value(Node n) {
    return compute(n).clone();
  }

  /** The value of an unbatched scalar node. */
  public double scalar(Node n) {
    if (n.batched() || !n.shape().isScalar()) {
      throw new IllegalArgumentException("not an unbatched scalar: " + n);
    }
    return compute(n)[0];
  }

  private double[] compute(Node root) {
    // iterative over the topological order so deep graphs do not overflow the stack
    if (memo.containsKey(root)) {
      return memo.get(root);
    }
    for (Node n : Graph.topological(List.of(root))) {
      if (!memo.containsKey(n)) {
        memo.put(n, eval(n));
      }
    }
    return memo.get(root);
  }

  private int count(Node n) {
    return n.batched() ? batch : 1;
  }

  private double[] in(Node n, int i) {
    return memo.get(n.input(i));
  }

  private double[] eval(Node n) {
    return switch (n.op()) {
      case UNARY -> unary(n, n.fn()::apply);
      case BINARY -> binary(n, n.fn()::apply);
      case INPUT, TARGET, PARAM -> leaf(n);
      case CONST -> n.constantValues();
      case NUMBER -> new double[] {n.value()};
      case BATCH_SIZE -> new double[] {batch};
      case TRANSPOSE -> transpose(n);
      case RESHAPE -> in(n, 0).clone();
      case IM2COL, COL2IM, MAX_POOL, MAX_UNPOOL, AVG_POOL, AVG_UNPOOL -> window(n);
      case INDEX -> index(n);
      case PLACE -> place(n);
      case BROADCAST -> broadcast(n);
      case CUSTOM -> in(n, 0);
      case SUM -> sum(n);
      case SUM_ROWS -> sumRows(n);
      case MATMUL -> matmul(n);
      case OUTER -> outer(n);
      case SOFTMAX, LOG_SOFTMAX, LOGSUMEXP -> lastAxis(n);
      case BATCH_SUM -> batchReduce(n, 1);
      case BATCH_MEAN -> batchReduce(n, 1.0 / batch);
    };
  }

  /** Logistic function, finite and accurate for arguments of any magnitude. */
  public static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  /** log(1 + exp(x)) without overflow. */
  public static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  private double[] leaf(Node n) {
    double[] v = leaves.get(n.name());
    if (v == null) {
      throw new IllegalArgumentException("no value for " + n.op().text() + " '" + n.name() + "'");
    }
    int want = count(n) * n.shape().size();
    if (v.length != want) {
      throw new IllegalArgumentException("value for '" + n.name() + "' has " + v.length
          + " elements, expected " + want);
    }
    return v.clone();
  }

  /** Element i of per-example output shape {@code out} taken from broadcast operand x. */
  private static int operandIndex(Shape x, Shape out, int i) {
    if (x.isScalar()) {
      return 0;
    }
    return x.equals(out) ? i : i % x.dim(0);
  }

  private double[] binary(Node n, DoubleBinaryOperator f) {
    Node a = n.input(0);
    Node b = n.input(1);
    double[] va = in(n, 0);
    double[] vb = in(n, 1);
    int size = n.shape().size();
    double[] out = new double[count(n) * size];
    for (int e = 0; e < count(n); e++) {
      int baseA = a.batched() ? e * a.shape().size() : 0;
      int baseB = b.batched() ? e * b.shape().size() : 0;
      for (int i = 0; i < size; i++) {
        out[e * size + i] = f.applyAsDouble(
            va[baseA + operandIndex(a.shape(), n.shape(), i)],
            vb[baseB + operandIndex(b.shape(), n.shape(), i)]);
      }
    }
    return out;
  }

  private double[] unary(Node n, DoubleUnaryOperator f) {
    double[] v = in(n, 0);
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = f.applyAsDouble(v[i]);
    }
    return out;
  }

  /** A window op, example by example; an unbatched input is shared by all examples. */
  private double[] window(Node n) {
    Node x = n.input(0);
    Node y = n.inputs().size() > 1 ? n.input(1) : x;
    double[] vx = in(n, 0);
    double[] vy = memo.get(y);
    int size = n.shape().size();
    double[] out = new double[count(n) * size];
    for (int e = 0; e < count(n); e++) {
      Windows.apply(n.op(), n.window(), vx, x.batched() ? e * x.shape().size() : 0,
          vy, y.batched() ? e * y.shape().size() : 0, out, e * size);
    }
    return out;
  }

  private double[] transpose(Node n) {
    double[] v = in(n, 0);
    int rows = n.input(0).shape().dim(0);
    int cols = n.input(0).shape().dim(1);
    double[] out = new double[v.length];
    for (int e = 0; e < count(n); e++) {
      int base = e * rows * cols;
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          out[base + c * rows + r] = v[base + r * cols + c];
        }
      }
    }
    return out;
  }

  private double[] index(Node n) {
    double[] v = in(n, 0);
    int size = n.shape().size();
    int inSize = n.input(0).shape().size();
    double[] out = new double[count(n) * size];
    for (int e = 0; e < count(n); e++) {
      System.arraycopy(v, e * inSize + n.index() * size, out, e * size, size);
    }
    return out;
  }

  private double[] place(Node n) {
    double[] v = in(n, 0);
    int size = n.input(0).shape().size();
    int outSize = n.shape().size();
    double[] out = new double[count(n) * outSize];
    for (int e = 0; e < count(n); e++) {
      System.arraycopy(v, e * size, out, e * outSize + n.index() * size, size);
    }
    return out;
  }

  private double[] broadcast(Node n) {
    double[] v = in(n, 0);
    Shape from = n.input(0).shape();
    int size = n.shape().size();
    double[] out = new double[count(n) * size];
    for (int e = 0; e < count(n); e++) {
      for (int i = 0; i < size; i++) {
        out[e * size + i] = v[e * from.size() + operandIndex(from, n.shape(), i)];
      }
    }
    return out;
  }

  private double[] sum(Node n) {
    double[] v = in(n, 0);
    int size = n.input(0).shape().size();
    double[] out = new double[count(n)];
    for (int e = 0; e < count(n); e++) {
      double s = 0;
      for (int i = 0; i < size; i++) {
        s += v[e * size + i];
      }
      out[e] = s;
    }
    return out;
  }

  private double[] sumRows(Node n) {
    double[] v = in(n, 0);
    int rows = n.input(0).shape().dim(0);
    int cols = n.input(0).shape().dim(1);
    double[] out = new double[count(n) * cols];
    for (int e = 0; e < count(n); e++) {
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          out[e * cols + c] += v[e * rows * cols + r * cols + c];
        }
      }
    }
    return out;
  }

  private double[] matmul(Node n) {
    Node a = n.input(0);
    Node b = n.input(1);
    double[] va = in(n, 0);
    double[] vb = in(n, 1);
    // view both operands as matrices: a vector on the left is a row, on the right a column
    int m = a.shape().rank() == 1 ? 1 : a.shape().dim(0);
    int k = a.shape().dim(a.shape().rank() - 1);
    int p = b.shape().rank() == 1 ? 1 : b.shape().dim(1);
    int size = n.shape().size();
    double[] out = new double[count(n) * size];
    for (int e = 0; e < count(n); e++) {
      int baseA = a.batched() ? e * m * k : 0;
      int baseB = b.batched() ? e * k * p : 0;
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < p; j++) {
          double s = 0;
          for (int t = 0; t < k; t++) {
            s += va[baseA + i * k + t] * vb[baseB + t * p + j];
          }
          out[e * size + i * p + j] = s;
        }
      }
    }
    return out;
  }

  private double[] outer(Node n) {
    Node a = n.input(0);
    Node b = n.input(1);
    double[] va = in(n, 0);
    double[] vb = in(n, 1);
    int rows = a.shape().dim(0);
    int cols = b.shape().dim(0);
    double[] out = new double[count(n) * rows * cols];
    for (int e = 0; e < count(n); e++) {
      int baseA = a.batched() ? e * rows : 0;
      int baseB = b.batched() ? e * cols : 0;
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          out[e * rows * cols + r * cols + c] = va[baseA + r] * vb[baseB + c];
        }
      }
    }
    return out;
  }

  /** softmax, log_softmax and logsumexp along the last axis, shifted by the row maximum. */
  private double[] lastAxis(Node n) {
    Shape s = n.input(0).shape();
    double[] v = in(n, 0);
    int len = s.dim(s.rank() - 1);
    int rows = count(n) * s.size() / len;
    boolean reduce = n.op() == Op.LOGSUMEXP;
    double[] out = new double[reduce ? rows : v.length];
    for (int r = 0; r < rows; r++) {
      int base = r * len;
      double mx = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < len; i++) {
        mx = Math.max(mx, v[base + i]);
      }
      double z = 0;
      for (int i = 0; i < len; i++) {
        z += Math.exp(v[base + i] - mx);
      }
      double logZ = Math.log(z);
      if (reduce) {
        out[r] = mx + logZ;
        continue;
      }
      for (int i = 0; i < len; i++) {
        out[base + i] = n.op() == Op.SOFTMAX
            ? Math.exp(v[base + i] - mx) / z
            : (v[base + i] - mx) - logZ;
      }
    }
    return out;
  }

  private double[] batchReduce(Node n, double scale) {
    double[] v = in(n, 0);
    int size = n.shape().size();
    double[] out = new double[size];
    for (int e = 0; e < batch; e++) {
      for (int i = 0; i < size; i++) {
        out[i] += v[e * size + i];
      }
    }
    for (int i = 0; i < size; i++) {
      out[i] *= scale;
    }
    return out;
  }
}
