package org.gradc.explain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.gradc.ir.Shape;
import org.gradc.sema.CheckedModel;
import org.gradc.sema.InitSpec;

/**
 * Concrete values for every leaf of a model: parameters and one batch of inputs and targets, in
 * the flat row-major layout of {@link org.gradc.ir.Evaluator}. Read from the JSON of
 * {@code gradc eval --values} (SPEC §2.1): {@code {"params": {...}, "batch": {...}}}; parameters
 * not listed take their declared initial values, random initializers drawing from one
 * {@link Random} seeded with {@code seed}, parameter by parameter in declaration order.
 *
 * @param batchSize number of examples B in the batch
 * @param leaves value of every param (unbatched) and input/target (B blocks) by DSL name
 */
public record Values(int batchSize, Map<String, double[]> leaves) {
  public Values {
    leaves = Map.copyOf(leaves);
  }

  /** Reads the values file text for {@code model}. */
  public static Values read(String json, CheckedModel model, long seed) {
    Object root = Json.parse(json);
    if (!(root instanceof Map<?, ?> top)) {
      throw new ExplainException("the values file must hold a JSON object");
    }
    for (Object k : top.keySet()) {
      if (!k.equals("params") && !k.equals("batch")) {
        throw new ExplainException("unknown key \"" + k + "\"; expected \"params\" and \"batch\"");
      }
    }
    Map<String, double[]> leaves = new LinkedHashMap<>(initialParameters(model, seed));
    Map<String, Object> params = object(top.get("params"), "params");
    for (Map.Entry<String, Object> e : params.entrySet()) {
      CheckedModel.Param p = model.params().stream().filter(q -> q.name().equals(e.getKey()))
          .findFirst().orElseThrow(() -> new ExplainException("params: model " + model.name()
              + " has no parameter '" + e.getKey() + "'"));
      leaves.put(p.name(), tensor(e.getValue(), p.node().shape(), "params." + p.name()));
    }
    Map<String, Object> batch = object(top.get("batch"), "batch");
    List<CheckedModel.Value> data = new ArrayList<>(model.inputs());
    data.addAll(model.targets());
    for (String k : batch.keySet()) {
      if (data.stream().noneMatch(v -> v.name().equals(k))) {
        throw new ExplainException("batch: model " + model.name() + " has no input or target '"
            + k + "'");
      }
    }
    int b = -1;
    for (CheckedModel.Value v : data) {
      Object arr = batch.get(v.name());
      if (arr == null) {
        throw new ExplainException("batch: no values for '" + v.name() + "'");
      }
      if (!(arr instanceof List<?> rows) || rows.isEmpty()) {
        throw new ExplainException("batch." + v.name()
            + ": expected a non-empty array with one entry per example");
      }
      if (b >= 0 && rows.size() != b) {
        throw new ExplainException("batch." + v.name() + ": " + rows.size()
            + " examples, but other entries have " + b);
      }
      b = rows.size();
      Shape s = v.node().shape();
      double[] flat = new double[b * s.size()];
      for (int i = 0; i < b; i++) {
        double[] one = tensor(rows.get(i), s, "batch." + v.name() + "[" + i + "]");
        System.arraycopy(one, 0, flat, i * s.size(), s.size());
      }
      leaves.put(v.name(), flat);
    }
    if (b < 0) {
      throw new ExplainException("batch: the model has no inputs or targets to give values for");
    }
    return new Values(b, leaves);
  }

  /** Declared initial values of every parameter. */
  static Map<String, double[]> initialParameters(CheckedModel model, long seed) {
    Random rnd = new Random(seed);
    Map<String, double[]> out = new LinkedHashMap<>();
    for (CheckedModel.Param p : model.params()) {
      Shape s = p.node().shape();
      int fanIn = s.isScalar() ? 1 : s.dim(0);
      int fanOut = s.isScalar() ? 1 : s.dim(s.rank() - 1);
      double[] v = new double[s.size()];
      InitSpec init = p.init();
      for (int i = 0; i < v.length; i++) {
        if (init instanceof InitSpec.Ones) {
          v[i] = 1;
        } else if (init instanceof InitSpec.Fill f) {
          v[i] = f.value();
        } else if (init instanceof InitSpec.Uniform u) {
          v[i] = u.low() + (u.high() - u.low()) * rnd.nextDouble();
        } else if (init instanceof InitSpec.Normal n) {
          v[i] = n.mean() + n.std() * rnd.nextGaussian();
        } else if (init instanceof InitSpec.Xavier) {
          double a = Math.sqrt(6.0 / (fanIn + fanOut));
          v[i] = -a + 2 * a * rnd.nextDouble();
        } else if (init instanceof InitSpec.He) {
          v[i] = Math.sqrt(2.0 / fanIn) * rnd.nextGaussian();
        } else if (init instanceof InitSpec.Values lit) {
          v[i] = lit.values()[i];
        } // zeros: already 0
      }
      out.put(p.name(), v);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object o, String what) {
    if (o == null) {
      return Map.of();
    }
    if (!(o instanceof Map<?, ?>)) {
      throw new ExplainException(what + ": expected a JSON object");
    }
    return (Map<String, Object>) o;
  }

  /** A nested array (or a number) of exactly shape {@code s}, flattened row-major. */
  private static double[] tensor(Object o, Shape s, String where) {
    double[] out = new double[s.size()];
    fill(o, s.dims(), 0, out, new int[] {0}, where);
    return out;
  }

  private static void fill(Object o, int[] dims, int axis, double[] out, int[] at, String where) {
    if (axis == dims.length) {
      if (!(o instanceof Double d)) {
        throw new ExplainException(where + ": expected a number");
      }
      out[at[0]++] = d;
      return;
    }
    if (!(o instanceof List<?> list) || list.size() != dims[axis]) {
      throw new ExplainException(where + ": expected an array of " + dims[axis]
          + (axis + 1 < dims.length ? " arrays" : " numbers") + " (shape " + Shape.of(dims) + ")");
    }
    for (Object item : list) {
      fill(item, dims, axis + 1, out, at, where);
    }
  }
}
