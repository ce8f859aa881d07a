package org.gradc.codegen;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gradc.ir.Node;
import org.gradc.ir.Op;
import org.gradc.lower.Kernel;
import org.gradc.lower.Plan;
import org.gradc.lower.Storage;

/**
 * The Java names of one generated class, all through one {@link JavaNames} allocator: the class,
 * parameter offsets, constants and their holder classes, stored values, kernel methods, locals
 * and the scratch array. The class, offset, constant and kernel names are allocated first, in
 * that order, so they keep the DSL's spelling where Java allows it.
 */
final class ValueNames {
  private final Plan plan;
  private final JavaNames names = new JavaNames();
  private final String className;
  private final Map<Integer, String> paramConstByOffset = new HashMap<>();
  private final Map<String, Integer> counters = new HashMap<>();
  private final Map<Kernel, String> kernelNames = new IdentityHashMap<>();
  /** For constants held in nested classes: the index of each and its class. */
  private final Map<Integer, String> constantHolders = new HashMap<>();
  private final String scratch;

  private final Derivation derivation;

  /** Names for {@code plan}, whose distinct kernels are {@code kernels}, in the story's words. */
  ValueNames(Plan plan, List<Kernel> kernels, Derivation derivation) {
    this.plan = plan;
    this.derivation = derivation;
    className = names.allocate(plan.model().name(), "class");
    for (Plan.Slot p : plan.params()) {
      paramConstByOffset.put(p.offset(), names.allocate(p.name(), "param:" + p.name()));
    }
    for (int i = 0; i < plan.constants().size(); i++) {
      names.allocate(plan.constants().get(i).name(), "const:" + i);
    }
    Kernel.Visitor<String> naming = new Kernel.Visitor<>() {
      @Override
      public String elementwise(Kernel.Elementwise k) {
        return value(k.out());
      }

      @Override
      public String product(Kernel.Product k) {
        return value(k.out());
      }

      @Override
      public String structural(Kernel.Structural k) {
        return value(k.out());
      }

      @Override
      public String copy(Kernel.Copy k) {
        // a tag of its own, not the record (whose hash runs cold): kernelNames finds the name
        return names.allocate("store_" + dest(k.dest()), new Object());
      }
    };
    for (Kernel k : kernels) {
      kernelNames.put(k, k.accept(naming));
    }
    scratch = plan.scratchSize() > 0 ? names.allocate("transposed", "scratch:transposed") : null;
  }

  String className() {
    return className;
  }

  /** A fresh identifier based on {@code suggestion}, remembered under {@code tag}. */
  String allocate(String suggestion, Object tag) {
    return names.allocate(suggestion, tag);
  }

  /** The constant naming the offset of the parameter at {@code offset} in theta and grad. */
  String paramOffset(int offset) {
    return paramConstByOffset.get(offset);
  }

  /** The field of constant i. */
  String constantField(int i) {
    return names.get("const:" + i);
  }

  /** Places constant i in nested class {@code holder}. */
  void holdConstant(int i, String holder) {
    constantHolders.put(i, holder);
  }

  /** The expression naming constant i. */
  String constant(int i) {
    String holder = constantHolders.get(i);
    String field = constantField(i);
    return holder == null ? field : holder + "." + field;
  }

  /** The method of a kernel called on its own. */
  String kernel(Kernel k) {
    return kernelNames.get(k);
  }

  /** The scratch array for transposed weights (null when the plan has none). */
  String scratch() {
    return scratch;
  }

  /**
   * The Java name of a stored value: its name in the story ({@code z1}, {@code delta2}), its DSL
   * name or d_NAME, a product named by its operands ({@code x_W1}), a batch sum by its operand
   * ({@code sum_delta2}), or an op prefix and a counter.
   */
  String value(Node n) {
    String existing = names.get(n);
    if (existing != null) {
      return existing;
    }
    String suggestion = known(n);
    if (suggestion == null && (n.op() == Op.MATMUL || n.op() == Op.OUTER)
        && known(n.input(0)) != null && known(n.input(1)) != null) {
      suggestion = known(n.input(0)) + "_" + known(n.input(1));
    }
    if (suggestion == null && n.op() == Op.BATCH_SUM && known(n.input(0)) != null) {
      suggestion = "sum_" + known(n.input(0));
    }
    if (suggestion == null) {
      Enum<?> what = n.op().isElementwise() ? n.fn() : n.op();
      String prefix = what.name().toLowerCase(Locale.ROOT);
      suggestion = prefix + counters.merge(prefix, 1, Integer::sum);
    }
    return names.allocate(suggestion, n);
  }

  /** True when the story names {@code n} (a value worth a local of its own). */
  boolean storyNamed(Node n) {
    return derivation.names().containsKey(n);
  }

  /** The story's or the DSL's name of a node, spelled for Java, or null. */
  private String known(Node n) {
    String math = derivation.names().get(n);
    if (math != null) {
      return Derivation.javaName(math);
    }
    String dsl = plan.names().get(n);
    return dsl != null ? dsl : n.op().isLeaf() && n.op() != Op.NUMBER ? n.name() : null;
  }

  /** A local variable name for n, the same in every method that uses one. */
  String local(String prefix, Node n) {
    String tag = prefix + ":" + n.id();
    String name = names.get(tag);
    return name != null ? name : names.allocate(prefix + "_" + value(n), tag);
  }

  static String array(Storage.Array a) {
    return switch (a) {
      case THETA -> "theta";
      case INPUTS -> "inputs";
      case TARGETS -> "targets";
      case GRAD -> "grad";
      case OUT -> "out";
    };
  }

  /** The first element of example 0 of a slice of an argument: a constant or a number. */
  String offset(Storage.Arg a) {
    if (a.array() == Storage.Array.THETA || a.array() == Storage.Array.GRAD) {
      return paramConstByOffset.get(a.offset());
    }
    return String.valueOf(a.offset());
  }

  /** The DSL name of what a copy stores: d_PARAM or the output's name. */
  String dest(Storage.Arg dest) {
    if (dest.array() == Storage.Array.GRAD) {
      for (Plan.Slot p : plan.params()) {
        if (p.offset() == dest.offset()) {
          return "d_" + p.name();
        }
      }
    }
    for (Plan.Slot o : plan.outputs()) {
      if (o.offset() == dest.offset()) {
        return o.name();
      }
    }
    return "value";
  }
}
