package org.gradc.codegen;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;
import org.gradc.ir.Node;
import org.gradc.lower.Kernel;
import org.gradc.lower.Plan;
import org.gradc.lower.Step;
import org.gradc.lower.Storage;

/**
 * How the entry points reach the kernels: each step of the plan is one call, of a kernel's own
 * method or of a fused run's; the calls are made from group methods of at most {@link #GROUP}
 * calls and {@link Plan#METHOD_BYTES} bytes of estimated code each, and groups of groups when
 * there are many, so every method stays far below HotSpot's 8,000-byte JIT limit. This splits
 * code, not work: the calls run in the plan's order whatever the grouping.
 */
final class EntryCalls {
  /** Kernel calls per group method. */
  static final int GROUP = 32;

  /**
   * Calls one method may make to methods of the group signature within {@link Plan#METHOD_BYTES}
   * (seven loads of at most two bytes each and invokestatic).
   */
  static final int ENTRY_CALLS = 200;

  /** One call of an entry point: a kernel, or a run of kernels fused into one loop. */
  record Unit(List<Kernel> kernels, String method, Ctx ctx) {}

  private final Plan plan;
  private final ValueNames names;
  private final Comments comments;
  private final KernelWriter writer;
  private final ElementType type;
  /** The rendering context of each kernel called on its own, made with its method. */
  private final Map<Kernel, Ctx> kernelCtx = new IdentityHashMap<>();
  /** The methods of fused runs, in the order they were written. */
  final List<MethodSpec> runMethods = new ArrayList<>();
  /** Every method with the group signature, in the order they are added to the class. */
  final List<MethodSpec> groupMethods = new ArrayList<>();

  EntryCalls(Plan plan, ValueNames names, Comments comments, KernelWriter writer,
      ElementType type) {
    this.plan = plan;
    this.names = names;
    this.comments = comments;
    this.writer = writer;
    this.type = type;
  }

  /** The calls of an entry point's steps, writing the method of each fused run. */
  List<Unit> units(List<Step> steps) {
    List<Unit> out = new ArrayList<>();
    for (Step st : steps) {
      out.add(st.match(
          one -> new Unit(List.of(one.kernel()), names.kernel(one.kernel()), null),
          run -> {
            KernelWriter.Method m = writer.fusedRun(run);
            runMethods.add(m.spec());
            return new Unit(run.kernels(), m.spec().name(), m.ctx());
          }));
    }
    return out;
  }

  /** The methods of the {@code kernels} some entry point calls on their own, in that order. */
  List<MethodSpec> kernelMethods(List<Kernel> kernels, List<Unit> train, List<Unit> predict) {
    Set<Kernel> alone = Collections.newSetFromMap(new IdentityHashMap<>());
    for (List<Unit> units : List.of(train, predict)) {
      for (Unit u : units) {
        if (u.kernels().size() == 1) {
          alone.add(u.kernels().get(0));
        }
      }
    }
    List<MethodSpec> out = new ArrayList<>();
    for (Kernel k : kernels) {
      if (alone.contains(k)) {
        KernelWriter.Method m = writer.kernelMethod(k);
        kernelCtx.put(k, m.ctx());
        out.add(m.spec());
      }
    }
    return out;
  }

  /** The rendering context of a unit (a single kernel's is made with its method). */
  private Ctx ctxOf(Unit u) {
    return u.ctx() != null ? u.ctx() : kernelCtx.get(u.kernels().get(0));
  }

  /**
   * The methods an entry point calls: groups of at most {@link #GROUP} unit calls and
   * {@link Plan#METHOD_BYTES} bytes of estimated code each (the buffers they use loaded from the
   * workspace first); when there are more groups than one method can call within that budget,
   * groups of groups, as deep as needed.
   */
  List<MethodSpec> groups(String prefix, List<Unit> units) {
    List<MethodSpec> out = new ArrayList<>();
    int from = 0;
    while (from < units.size()) {
      int to = groupEnd(units, from);
      out.add(group(prefix, out.size(), units.subList(from, to)));
      from = to;
    }
    groupMethods.addAll(out);
    int level = 1;
    while (out.size() > ENTRY_CALLS) {
      List<MethodSpec> upper = new ArrayList<>();
      for (int i = 0; i < out.size(); i += ENTRY_CALLS) {
        String tag = prefix + ":" + level + ":" + upper.size();
        MethodSpec.Builder m = groupSignature(names.allocate(prefix + "_" + level + "_"
            + upper.size(), tag));
        for (MethodSpec callee : out.subList(i, Math.min(out.size(), i + ENTRY_CALLS))) {
          m.addStatement("$N(theta, inputs, targets, grad, out, ws, B)", callee);
        }
        upper.add(m.build());
      }
      groupMethods.addAll(upper);
      out = upper;
      level++;
    }
    return out;
  }

  /** The end (exclusive) of the group of calls starting at {@code from}. */
  private int groupEnd(List<Unit> units, int from) {
    int to = from;
    int bytes = 20;
    Set<Node> declared = new HashSet<>();
    while (to < units.size() && to - from < GROUP) {
      Unit u = units.get(to);
      Set<Node> more = new HashSet<>(declared);
      for (Kernel k : u.kernels()) {
        more.addAll(bufferNodes(k));
      }
      // a workspace load per new buffer: aload, sipush, aaload, wide astore; a call: a wide
      // load per argument and invokestatic
      int cost = 10 * (more.size() - declared.size()) + 3 + 4 * ctxOf(u).arguments().size();
      if (to > from && bytes + cost > Plan.METHOD_BYTES) {
        break;
      }
      bytes += cost;
      declared = more;
      to++;
    }
    return to;
  }

  private MethodSpec.Builder groupSignature(String name) {
    return MethodSpec.methodBuilder(name)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addParameter(type.array(), "theta")
        .addParameter(type.array(), "inputs")
        .addParameter(type.array(), "targets")
        .addParameter(type.array(), "grad")
        .addParameter(type.array(), "out")
        .addParameter(type.workspace(), "ws")
        .addParameter(TypeName.INT, "B");
  }

  private MethodSpec group(String prefix, int index, List<Unit> partUnits) {
    MethodSpec.Builder m = groupSignature(names.allocate(prefix + index, prefix + ":" + index));
    Set<Node> declared = new HashSet<>();
    for (Unit u : partUnits) {
      for (Kernel k : u.kernels()) {
        for (Node n : bufferNodes(k)) {
          if (declared.add(n) && plan.storageOf(n) instanceof Storage.Buffer b) {
            m.addStatement("$T $L = ws[$L]", type.array(), names.value(n), b.index());
          }
        }
      }
    }
    for (Unit u : partUnits) {
      if (ctxOf(u).usesScratch) {
        m.addStatement("$T $L = ws[$L]", type.array(), names.scratch(), plan.buffers().size());
        break;
      }
    }
    for (Unit u : partUnits) {
      String p = comments.provenance(u.kernels().get(0));
      if (p != null) {
        m.addComment("$L", p);
      }
      m.addStatement("$L($L)", u.method(), String.join(", ", ctxOf(u).arguments()));
    }
    return m.build();
  }

  /** The workspace buffers a kernel reads or writes, in node order. */
  private List<Node> bufferNodes(Kernel k) {
    List<Node> out = new ArrayList<>();
    List<Node> touched = new ArrayList<>(k.reads());
    touched.add(k.out());
    for (Node n : touched) {
      if (plan.storage().get(n) instanceof Storage.Buffer && !out.contains(n)) {
        out.add(n);
      }
    }
    out.sort((x, y) -> Integer.compare(x.id(), y.id()));
    return out;
  }
}
