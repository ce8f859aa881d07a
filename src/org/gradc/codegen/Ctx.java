package org.gradc.codegen;

import static org.gradc.codegen.Loops.add;
import static org.gradc.codegen.Loops.mul;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradc.ir.Node;
import org.gradc.ir.Op;
import org.gradc.lower.Plan;
import org.gradc.lower.Storage;

/**
 * Rendering state of one generated method computing kernels: which arrays and buffers its body
 * touches, and so its parameters and the arguments of its call.
 */
final class Ctx {
  private final Plan plan;
  private final ValueNames names;
  final ElementType type;
  final EnumSet<Storage.Array> arrays = EnumSet.noneOf(Storage.Array.class);
  final Map<String, Node> buffers = new LinkedHashMap<>();
  boolean usesB;
  boolean usesScratch;
  /** Values of the current element held in local variables (fused runs). */
  final Map<Node, String> locals = new HashMap<>();

  Ctx(Plan plan, ValueNames names, ElementType type) {
    this.plan = plan;
    this.names = names;
    this.type = type;
  }

  /** Element j (an index expression within one example) of example e of node n. */
  String ref(Node n, String e, String j) {
    String local = locals.get(n);
    if (local != null) {
      return local;
    }
    Storage s = plan.storageOf(n);
    if (s instanceof Storage.Inline) {
      if (n.op() == Op.BATCH_SIZE) {
        usesB = true;
        return type.batchSize();
      }
      return type.literal(n.value());
    }
    if (s instanceof Storage.Constant c) {
      return names.constant(c.index()) + "[" + j + "]";
    }
    String array;
    String offset;
    int stride;
    if (s instanceof Storage.Arg a) {
      array = ValueNames.array(a.array());
      arrays.add(a.array());
      offset = names.offset(a);
      stride = a.stride();
    } else {
      array = names.value(n);
      buffers.putIfAbsent(array, n);
      offset = "0";
      stride = n.shape().size();
    }
    if (!n.batched()) {
      return array + "[" + add(offset, j) + "]";
    }
    if (e == null) {
      return array + "[" + add(offset, j) + "]";
    }
    return array + "[" + add(mul(e, stride), offset, j) + "]";
  }

  /** The array, first-element offset and per-example stride of a stored value. */
  String[] base(Node n) {
    Storage s = plan.storageOf(n);
    if (s instanceof Storage.Arg a) {
      arrays.add(a.array());
      return new String[] {ValueNames.array(a.array()), names.offset(a),
          String.valueOf(a.stride())};
    }
    String array = names.value(n);
    buffers.putIfAbsent(array, n);
    return new String[] {array, "0", String.valueOf(n.batched() ? n.shape().size() : 0)};
  }

  /** The workspace arrays the method takes, in node order. */
  List<String> sortedBuffers() {
    List<Map.Entry<String, Node>> entries = new ArrayList<>(buffers.entrySet());
    entries.sort((x, y) -> Integer.compare(x.getValue().id(), y.getValue().id()));
    List<String> out = new ArrayList<>();
    entries.forEach(e -> out.add(e.getKey()));
    return out;
  }

  /** The argument list of the method's call, in the order of its parameters. */
  List<String> arguments() {
    List<String> args = new ArrayList<>();
    for (Storage.Array a : arrays) {
      args.add(ValueNames.array(a));
    }
    args.addAll(sortedBuffers());
    if (usesScratch) {
      args.add(names.scratch());
    }
    if (usesB) {
      args.add("B");
    }
    return args;
  }
}
