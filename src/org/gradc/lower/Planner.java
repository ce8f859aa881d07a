package org.gradc.lower;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.gradc.diag.SourceFile;
import org.gradc.diag.Span;
import org.gradc.diff.Gradients;
import org.gradc.ir.Graph;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;
import org.gradc.ir.Op;
import org.gradc.sema.CheckedModel;
import org.gradc.simplify.Simplifier;

/**
 * Lowers a checked model to a {@link Plan}. In: a {@link CheckedModel}. Out: the simplified
 * objective, gradients and outputs scheduled as kernels over flat buffers.
 *
 * <ul>
 *   <li>Simplified gradients: handed in by the façade, or {@link Simplifier#gradients} when
 *       planned alone; {@link Simplifier#simplify} for the outputs, in a fork of the gradients' graph
 *       (neither the model nor the gradients change, so a model may be planned from several
 *       threads at once).
 *   <li>Fusion ({@link Fusion}): a single-use elementwise value of the same shape and batching
 *       as its elementwise consumer is computed inline in the consumer's loop (at most
 *       {@link #MAX_FUSED} nodes per loop, so generated methods stay small). {@code batch_sum} of
 *       a single-use product is one product kernel accumulating over the batch, and
 *       {@code batch_sum(product) / B} (a parameter gradient) one product kernel dividing its
 *       sums as it stores them, also through a transpose of the sums and one of an operand
 *       (a convolution's filter gradient). A dense layer {@code act(x @ W + b)} whose product
 *       runs on the runtime kernel is one product kernel that adds the bias and applies the
 *       activation as it stores. A reshape is a view: it has no kernel and lives in its input's
 *       storage.
 *   <li>Storage: parameters, inputs and targets are read in place from the call's arrays; a
 *       gradient is written straight into the caller's gradient vector when nothing else needs
 *       its node; every other value gets a workspace buffer, reused by liveness.
 *   <li>Loops ({@link LoopChoices}), once storage is known: whether an elementwise kernel is one
 *       flat loop over the batch, whether a wide tanh is one vectorized call over the whole array,
 *       whether a large product is a call of the runtime GEMM kernel (and how much scratch the
 *       transposing ones need).
 *   <li>Runs ({@link RunFusion}): consecutive flat kernels of the same width, with batch sums of
 *       single values, are fused into one loop per entry point ({@link Step.Fused}), within
 *       {@link Plan#METHOD_BYTES} of estimated code.
 * </ul>
 *
 * <p>Code generation writes the resulting plan down without further decisions.
 */
public final class Planner {
  /** The most nodes one fused elementwise loop computes. */
  static final int MAX_FUSED = 16;

  private final CheckedModel model;
  private final GraphBuilder g;
  private final Gradients grads;

  private Planner(CheckedModel model, Gradients grads) {
    this.model = model;
    this.g = grads.graph().fork();
    this.grads = grads;
  }

  /** Plans a model, differentiating and simplifying its loss first. */
  public static Plan plan(CheckedModel model) {
    List<Node> params = model.params().stream().map(CheckedModel.Param::node).toList();
    return plan(model, Simplifier.gradients(model.graph(), model.loss(), params));
  }

  /**
   * Plans a model whose simplified gradients are already known (the façade computes them once
   * and hands them down).
   */
  public static Plan plan(CheckedModel model, Gradients simplifiedGradients) {
    return new Planner(model, simplifiedGradients).run();
  }

  private Plan run() {
    List<Plan.Slot> params = new ArrayList<>();
    int off = 0;
    for (CheckedModel.Param p : model.params()) {
      params.add(new Plan.Slot(p.name(), p.node(), off));
      off += p.node().shape().size();
    }
    List<Plan.Slot> inputs = slots(model.inputs());
    List<Plan.Slot> targets = slots(model.targets());
    List<Plan.Slot> outputs = outputSlots();
    List<Node> outNodes = nodes(outputs);
    Node objective = grads.objective();
    Map<Node, Node> gradients = new LinkedHashMap<>();
    for (Plan.Slot p : params) {
      gradients.put(p.node(), grads.gradient(p.node()));
    }
    List<Node> trainRoots = new ArrayList<>();
    trainRoots.add(objective);
    trainRoots.addAll(gradients.values());
    List<Node> allRoots = new ArrayList<>(trainRoots);
    allRoots.addAll(outNodes);
    List<Node> all = Graph.topological(allRoots);

    Fusion.Result fused = Fusion.fuse(all, new HashSet<>(allRoots));
    Map<Node, Kernel> kernels = fused.kernels();
    List<Node> constants = new ArrayList<>();
    Map<Node, Storage> storage = leafStorage(all, params, inputs, targets, constants);
    List<Kernel> gradCopies = gradientDestinations(params, gradients, kernels, storage, outNodes);
    List<Kernel> train = entry(trainRoots, kernels, gradCopies);
    List<Kernel> outCopies = new ArrayList<>();
    for (Plan.Slot o : outputs) {
      outCopies.add(new Kernel.Copy(o.node(),
          new Storage.Arg(Storage.Array.OUT, o.offset(), width(outputs))));
    }
    List<Kernel> predict = entry(outNodes, kernels, outCopies);
    List<Plan.BufferSpec> buffers = assignBuffers(kernels, train, predict, objective, storage,
        fused.views());

    // loops chosen now that every value has its storage; a kernel of both entry points stays one
    LoopChoices loops = new LoopChoices(storage);
    Map<Kernel, Kernel> chosen = new IdentityHashMap<>();
    train = train.stream().map(k -> chosen.computeIfAbsent(k, loops::choose)).toList();
    predict = predict.stream().map(k -> chosen.computeIfAbsent(k, loops::choose)).toList();
    Set<Node> viewed = new HashSet<>(fused.views().values());
    List<Step> trainSteps = RunFusion.steps(train, storage, objective, viewed);
    List<Step> predictSteps = RunFusion.steps(predict, storage, objective, viewed);

    Map<Node, String> names = new HashMap<>();
    Map<Node, Plan.Provenance> provenance = provenance(grads, all, outNodes, names);
    nameResults(names, params, outputs, gradients, grads);
    Plan.Model about = new Plan.Model(model.name(), baseName(model.file()),
        model.file().slice(model.span()), Layouts.of(model));
    return new Plan(about, params, inputs, targets, outputs, objective, gradients, train, predict,
        trainSteps, predictSteps, storage, buffers, scratchSize(train, predict), constants,
        provenance, names);
  }

  /** The output slots, their nodes simplified. */
  private List<Plan.Slot> outputSlots() {
    List<Node> rawOutputs = model.outputs().stream().map(CheckedModel.Value::node).toList();
    List<Node> outNodes = rawOutputs.isEmpty() ? List.of()
        : Simplifier.simplify(g, rawOutputs).roots();
    List<Plan.Slot> outputs = new ArrayList<>();
    int off = 0;
    for (int i = 0; i < outNodes.size(); i++) {
      outputs.add(new Plan.Slot(model.outputs().get(i).name(), outNodes.get(i), off));
      off += outNodes.get(i).shape().size();
    }
    return outputs;
  }

  /** Storage of the leaves: call arguments, constant arrays and inline literals. */
  private static Map<Node, Storage> leafStorage(List<Node> all, List<Plan.Slot> params,
      List<Plan.Slot> inputs, List<Plan.Slot> targets, List<Node> constants) {
    Map<Node, Storage> storage = new HashMap<>();
    Map<String, Plan.Slot> inputByName = byName(inputs);
    Map<String, Plan.Slot> targetByName = byName(targets);
    Map<String, Plan.Slot> paramByName = byName(params);
    for (Node n : all) {
      Storage s = switch (n.op()) {
        case INPUT -> new Storage.Arg(Storage.Array.INPUTS, inputByName.get(n.name()).offset(),
            width(inputs));
        case TARGET -> new Storage.Arg(Storage.Array.TARGETS, targetByName.get(n.name()).offset(),
            width(targets));
        case PARAM -> new Storage.Arg(Storage.Array.THETA, paramByName.get(n.name()).offset(), 0);
        case CONST -> {
          constants.add(n);
          yield new Storage.Constant(constants.size() - 1);
        }
        case NUMBER, BATCH_SIZE -> new Storage.Inline();
        // computed values get their storage from the kernels
        case UNARY, BINARY, TRANSPOSE, INDEX, PLACE, BROADCAST, CUSTOM, RESHAPE, IM2COL, COL2IM,
            MAX_POOL, MAX_UNPOOL, AVG_POOL, AVG_UNPOOL, SUM, SUM_ROWS, MATMUL, OUTER, SOFTMAX,
            LOG_SOFTMAX, LOGSUMEXP, BATCH_SUM, BATCH_MEAN -> null;
      };
      if (s != null) {
        storage.put(n, s);
      }
    }
    return storage;
  }

  /**
   * Gradients straight into the caller's vector where possible: a gradient computed by a kernel
   * of its own, not a leaf and not read by predict. The others are copied; their copies returned.
   */
  private static List<Kernel> gradientDestinations(List<Plan.Slot> params,
      Map<Node, Node> gradients, Map<Node, Kernel> kernels, Map<Node, Storage> storage,
      List<Node> outNodes) {
    Set<Node> predictClosure = new HashSet<>(Graph.topological(outNodes));
    List<Kernel> gradCopies = new ArrayList<>();
    for (Plan.Slot p : params) {
      Node gn = gradients.get(p.node());
      Storage.Arg dest = new Storage.Arg(Storage.Array.GRAD, p.offset(), 0);
      if (kernels.containsKey(gn) && !storage.containsKey(gn) && !predictClosure.contains(gn)) {
        storage.put(gn, dest);
      } else {
        gradCopies.add(new Kernel.Copy(gn, dest));
      }
    }
    return gradCopies;
  }

  /** The kernels of an entry point: those computing {@code roots}, in order, then the copies. */
  private static List<Kernel> entry(List<Node> roots, Map<Node, Kernel> kernels,
      List<Kernel> copies) {
    List<Kernel> out = new ArrayList<>();
    for (Node n : Graph.topological(roots)) {
      if (kernels.containsKey(n)) {
        out.add(kernels.get(n));
      }
    }
    out.addAll(copies);
    return out;
  }

  /** Elements of the scratch array the transposing GEMM calls need. */
  private static int scratchSize(List<Kernel> train, List<Kernel> predict) {
    int size = 0;
    for (List<Kernel> list : List.of(train, predict)) {
      for (Kernel k : list) {
        if (k instanceof Kernel.Product pr && pr.gemm().isPresent()
            && pr.gemm().get().transposed()) {
          size = Math.max(size, pr.gemm().get().k() * pr.gemm().get().n());
        }
      }
    }
    return size;
  }

  /** Names of outputs, parameter gradients ({@code d_NAME}) and adjoints of named values. */
  private static void nameResults(Map<Node, String> names, List<Plan.Slot> params,
      List<Plan.Slot> outputs, Map<Node, Node> gradients, Gradients grads) {
    for (Plan.Slot o : outputs) {
      names.putIfAbsent(o.node(), o.name());
    }
    for (Plan.Slot p : params) {
      names.putIfAbsent(gradients.get(p.node()), "d_" + p.name());
    }
    for (Map.Entry<Node, Node> e : grads.adjoints().entrySet()) {
      String n = names.get(e.getKey());
      if (n != null && !n.startsWith("d_")) {
        names.putIfAbsent(e.getValue(), "d_" + n);
      }
    }
  }

  private static List<Node> nodes(List<Plan.Slot> slots) {
    return slots.stream().map(Plan.Slot::node).toList();
  }

  /**
   * Workspace buffers for every kernel output without storage, reused by liveness. A value is
   * live from its kernel to the last kernel reading it, in node-id order; both entry points run
   * their kernels in id order, so the intervals hold for each of them.
   */
  static List<Plan.BufferSpec> assignBuffers(Map<Node, Kernel> kernels, List<Kernel> train,
      List<Kernel> predict, Node objective, Map<Node, Storage> storage) {
    return assignBuffers(kernels, train, predict, objective, storage, Map.of());
  }

  /**
   * As above, with reshapes that are views of other values ({@code views}, by the node each
   * views): a read of a view keeps the viewed value live, and the view gets its storage.
   */
  static List<Plan.BufferSpec> assignBuffers(Map<Node, Kernel> kernels, List<Kernel> train,
      List<Kernel> predict, Node objective, Map<Node, Storage> storage, Map<Node, Node> views) {
    Map<Node, Integer> lastUse = new HashMap<>();
    for (List<Kernel> list : List.of(train, predict)) {
      for (Kernel k : list) {
        int at = k instanceof Kernel.Copy ? Integer.MAX_VALUE : k.out().id();
        for (Node r : k.reads()) {
          lastUse.merge(views.getOrDefault(r, r), at, Math::max);
        }
      }
    }
    lastUse.put(views.getOrDefault(objective, objective), Integer.MAX_VALUE);

    List<List<Node>> held = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    List<Boolean> batched = new ArrayList<>();
    // buffers in use, by the last kernel reading them; free buffers by batching, size and index
    java.util.PriorityQueue<int[]> busy = new java.util.PriorityQueue<>(
        (x, y) -> x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(x[1], y[1]));
    List<TreeMap<Integer, java.util.TreeSet<Integer>>> free = List.of(new TreeMap<>(),
        new TreeMap<>());
    for (Map.Entry<Node, Kernel> e : kernels.entrySet()) {
      Node n = e.getKey();
      if (storage.containsKey(n)) {
        continue;
      }
      int def = n.id();
      while (!busy.isEmpty() && busy.peek()[0] < def) {
        int b = busy.poll()[1];
        free.get(batched.get(b) ? 1 : 0).computeIfAbsent(sizes.get(b),
            k -> new java.util.TreeSet<>()).add(b);
      }
      // the smallest free buffer that fits, else the largest one (grown); the first of equals
      TreeMap<Integer, java.util.TreeSet<Integer>> candidates = free.get(n.batched() ? 1 : 0);
      Map.Entry<Integer, java.util.TreeSet<Integer>> pick = candidates.ceilingEntry(
          n.shape().size());
      if (pick == null) {
        pick = candidates.lastEntry();
      }
      int chosen;
      if (pick == null) {
        chosen = held.size();
        held.add(new ArrayList<>());
        sizes.add(0);
        batched.add(n.batched());
      } else {
        chosen = pick.getValue().pollFirst();
        if (pick.getValue().isEmpty()) {
          candidates.remove(pick.getKey());
        }
      }
      held.get(chosen).add(n);
      sizes.set(chosen, Math.max(sizes.get(chosen), n.shape().size()));
      busy.add(new int[] {lastUse.getOrDefault(n, def), chosen});
      storage.put(n, new Storage.Buffer(chosen));
    }
    views.forEach((view, of) -> storage.put(view, storage.get(of)));
    List<Plan.BufferSpec> out = new ArrayList<>();
    for (int b = 0; b < held.size(); b++) {
      out.add(new Plan.BufferSpec(b, held.get(b), sizes.get(b), batched.get(b)));
    }
    return out;
  }

  /** Elementwise unary and binary ops and broadcasts: one output element from one of each input. */
  public static boolean isElementwise(Node n) {
    return n.op().isElementwise() || n.op() == Op.BROADCAST;
  }

  private static List<Plan.Slot> slots(List<CheckedModel.Value> values) {
    List<Plan.Slot> out = new ArrayList<>();
    int off = 0;
    for (CheckedModel.Value v : values) {
      out.add(new Plan.Slot(v.name(), v.node(), off));
      off += v.node().shape().size();
    }
    return out;
  }

  private static Map<String, Plan.Slot> byName(List<Plan.Slot> slots) {
    Map<String, Plan.Slot> m = new HashMap<>();
    for (Plan.Slot s : slots) {
      m.put(s.name(), s);
    }
    return m;
  }

  private static int width(List<Plan.Slot> slots) {
    return slots.stream().mapToInt(Plan.Slot::size).sum();
  }

  // ---- provenance: which DSL statement each node comes from ----

  private Map<Node, Plan.Provenance> provenance(Gradients grads, List<Node> all,
      List<Node> outNodes, Map<Node, String> names) {
    // statements in source order: named intermediates, then the loss
    TreeMap<Integer, Object[]> statements = new TreeMap<>();
    for (CheckedModel.Value v : model.intermediates()) {
      statements.putIfAbsent(v.span().start(), new Object[] {v.node(), v.span()});
    }
    statements.putIfAbsent(model.lossSpan().start(), new Object[] {model.loss(), model.lossSpan()});
    List<Node> stmtNodes = new ArrayList<>();
    for (Object[] s : statements.values()) {
      stmtNodes.add((Node) s[0]);
    }
    Simplifier.Result forward = Simplifier.simplify(g, stmtNodes);
    for (CheckedModel.Value v : model.intermediates()) {
      names.putIfAbsent(v.node(), v.name());
      names.putIfAbsent(forward.map(v.node()), v.name());
    }
    Map<Node, Plan.Provenance> prov = new HashMap<>();
    // each node belongs to the first statement (in source order) that reaches it; a node
    // reached before was explored with everything below it, so each node is visited once
    Set<Node> seen = new HashSet<>();
    java.util.ArrayDeque<Node> work = new java.util.ArrayDeque<>();
    int i = 0;
    for (Object[] s : statements.values()) {
      Plan.Provenance p = at((Span) s[1], false);
      for (Node root : List.of((Node) s[0], forward.roots().get(i++))) {
        work.push(root);
        while (!work.isEmpty()) {
          Node n = work.pop();
          if (seen.add(n)) {
            if (!n.op().isLeaf()) {
              prov.putIfAbsent(n, p);
            }
            n.inputs().forEach(work::push);
          }
        }
      }
    }
    for (Map.Entry<Node, Node> e : grads.adjoints().entrySet()) {
      Plan.Provenance p = prov.get(e.getKey());
      if (p != null && !e.getValue().op().isLeaf()) {
        prov.putIfAbsent(e.getValue(), new Plan.Provenance(p.file(), p.line(), p.text(), true));
      }
    }
    Set<Node> forwardValues = new HashSet<>(Graph.topological(outNodes));
    forwardValues.addAll(Graph.topological(List.of(grads.objective())));
    for (Node n : all) {
      if (prov.containsKey(n) || n.op().isLeaf()) {
        continue;
      }
      Plan.Provenance best = null;
      for (Node in : n.inputs()) {
        Plan.Provenance p = prov.get(in);
        if (p != null && (best == null || (p.gradient() && !best.gradient())
            || (p.gradient() == best.gradient() && p.line() > best.line()))) {
          best = p;
        }
      }
      if (best != null) {
        boolean grad = best.gradient() || !forwardValues.contains(n);
        prov.put(n, new Plan.Provenance(best.file(), best.line(), best.text(), grad));
      }
    }
    return prov;
  }

  /** The file's name without its directories. */
  private static String baseName(SourceFile file) {
    String name = file.name();
    return name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  }

  private Plan.Provenance at(Span span, boolean gradient) {
    SourceFile file = model.file();
    String text = file.line(span.line());
    int comment = text.indexOf("//");
    if (comment >= 0) {
      text = text.substring(0, comment);
    }
    return new Plan.Provenance(baseName(file), span.line(), singleSpaced(text.strip()), gradient);
  }

  /** Every run of white space as one space (by hand: a regex runs cold in a first compile). */
  private static String singleSpaced(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean space = " \t\n\u000B\f\r".indexOf(c) >= 0;
      if (!space) {
        b.append(c);
      } else if (b.length() == 0 || b.charAt(b.length() - 1) != ' ') {
        b.append(' ');
      }
    }
    return b.toString();
  }
}
