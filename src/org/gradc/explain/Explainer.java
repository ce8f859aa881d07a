package org.gradc.explain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gradc.diff.Gradients;
import org.gradc.explain.Explanation.Section;
import org.gradc.explain.Explanation.Step;
import org.gradc.explain.ExprPrinter.Sym;
import org.gradc.ir.Evaluator;
import org.gradc.ir.Fn;
import org.gradc.ir.Graph;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;
import org.gradc.ir.Op;
import org.gradc.sema.CheckedModel;
import org.gradc.simplify.Simplifier;

/**
 * Builds the {@link Explanation} of a model by walking its simplified gradient graph: the named
 * intermediates give the forward lines (a layer {@code h = f(…)} whose argument is one linear
 * expression of its inputs is split into {@code z_k = …} and {@code h = f(z_k)}); the adjoints
 * of the pre-activations give the error signals {@code δ_k}; the gradient nodes give the
 * {@code dL/dP} lines; with values, every number is the reference {@link Evaluator}'s value of
 * the very node the line prints.
 */
public final class Explainer {
  /** A layer: a named intermediate computed from parameters, and its pre-activation. */
  private record Layer(int k, CheckedModel.Value value, Node pre, boolean synthesized,
      Set<Node> params) {}

  private final CheckedModel model;
  private final Gradients grads;
  private final GraphBuilder g;
  private final Map<Node, Sym> forwardNames = new LinkedHashMap<>();
  private final Map<Node, Sym> names = new LinkedHashMap<>();
  private final List<Layer> layers = new ArrayList<>();
  private final Map<Node, Node> adjoint = new HashMap<>();
  /** The named value whose (simplified) error signal a node is. */
  private final Map<Node, Node> adjointOf = new HashMap<>();
  private int temporaries;
  /** The ∂loss/∂v names given so far. */
  private final Set<String> errorNames = new HashSet<>();
  private Evaluator evaluator;
  /** The example of the batch whose numbers are shown. */
  private int example;
  /** The model writes column vectors ({@code W @ x}), so its story does too. */
  private boolean column;

  private Explainer(CheckedModel model, Gradients grads) {
    this.model = model;
    this.grads = grads;
    this.g = grads.graph().fork();
  }

  /**
   * @param grads the simplified gradients of the model (as {@code gradc grad} prints them)
   * @param values parameters and a batch, or null for the symbolic story alone
   */
  public static Explanation explain(CheckedModel model, Gradients grads, Values values) {
    return new Explainer(model, grads).run(values);
  }

  /**
   * LaTeX for a DSL identifier: a letter with digits as a subscripted letter ({@code W1} as
   * {@code W_{1}}), {@code yhat} as {@code \\hat{y}}, one letter in math italics, and any other
   * name upright in {@code \\mathrm{}}, so that it does not read as a product of letters.
   */
  static String texIdent(String name) {
    if (name.matches("[A-Za-z][0-9]+")) {
      return name.charAt(0) + "_{" + name.substring(1) + "}";
    }
    if (name.matches("[A-Za-z]hat")) {
      return "\\hat{" + name.charAt(0) + "}";
    }
    String esc = name.replace("_", "\\_");
    return name.length() == 1 ? esc : "\\mathrm{" + esc + "}";
  }

  /** True when some forward product multiplies a matrix by a vector on its right. */
  private static boolean columnConvention(CheckedModel model) {
    for (Node n : Graph.topological(List.of(model.loss()))) {
      if (n.op() == Op.MATMUL && n.input(0).shape().rank() == 2
          && n.input(1).shape().rank() == 1) {
        return true;
      }
    }
    return false;
  }

  private Explanation run(Values values) {
    if (values != null) {
      evaluator = new Evaluator(values.batchSize(), values.leaves());
      example = values.example();
    }
    column = columnConvention(model);
    model.names().forEach((n, s) -> forwardNames.put(n, new Sym(s, texIdent(s), false)));
    findLayers();
    names.putAll(forwardNames);
    for (Layer l : layers) {
      if (l.synthesized) {
        Sym z = new Sym("z" + l.k, "z_{" + l.k + "}", false);
        forwardNames.put(l.pre, z);
        names.put(l.pre, z);
      }
    }
    List<Section> sections = new ArrayList<>();
    sections.add(forward());
    sections.add(loss());
    simplifyAdjoints();
    sections.add(backward());
    sections.add(gradients());
    return new Explanation(model.name(), model.file().name(),
        values == null ? 0 : values.batchSize(), values == null ? 0 : values.example(), sections,
        cost(), column, inlined(), signalNames(),
        Graph.topological(List.of(model.loss())).stream().anyMatch(n -> n.op() == Op.IM2COL));
  }

  /** The name the story gives ∂loss/∂v, for each value v whose error signal it names. */
  private Map<Node, String> signalNames() {
    Map<Node, String> out = new HashMap<>();
    adjoint.forEach((v, a) -> {
      Sym s = names.get(a);
      if (s != null && !s.negated()) {
        out.put(v, s.text());
      }
    });
    return out;
  }

  /**
   * The error signal {@code ∂loss/∂v} of every named value v that the story writes inline (the
   * {@code ∂loss/∂h} inside {@code δ1 = (δ2 · W2ᵀ) ⊙ σ'(z1)}), printed after the story so that
   * it changes none of the story's lines.
   */
  private List<Step> inlined() {
    List<Step> out = new ArrayList<>();
    for (CheckedModel.Value v : model.intermediates()) {
      Node a = adjoint.get(v.node());
      if (a != null && !a.op().isLeaf() && !names.containsKey(a)
          && errorNames.add(errorSym(v.node()).text())) {
        Sym s = errorSym(v.node());
        Step st = defined(s, a, "", List.of(), out);
        names.put(a, s);
        out.add(st);
      }
    }
    return out;
  }

  // ---- structure ----

  /** Nodes computed by {@code n}'s own statement: reachable without passing a name or a leaf. */
  private Set<Node> body(Node n) {
    Set<Node> out = new LinkedHashSet<>();
    Deque<Node> work = new ArrayDeque<>(List.of(n));
    while (!work.isEmpty()) {
      Node x = work.pop();
      if (out.add(x) && !x.op().isLeaf()) {
        for (Node in : x.inputs()) {
          if (!model.names().containsKey(in) || in.op().isLeaf()) {
            work.push(in);
          } else {
            out.add(in);
          }
        }
      }
    }
    return out;
  }

  /** Inputs, targets, params and named values: what a statement's expression is built from. */
  private boolean anchor(Node x, Node root) {
    return x != root && (model.names().containsKey(x) || x.op() == Op.INPUT
        || x.op() == Op.TARGET || x.op() == Op.PARAM);
  }

  /** True when every path from root to an anchor passes through {@code via}. */
  private boolean dominates(Node root, Node via) {
    Set<Node> seen = new HashSet<>();
    Deque<Node> work = new ArrayDeque<>(List.of(root));
    while (!work.isEmpty()) {
      Node x = work.pop();
      if (x == via || !seen.add(x)) {
        continue;
      }
      if (anchor(x, root)) {
        return false;
      }
      work.addAll(x.inputs());
    }
    return true;
  }

  private void findLayers() {
    int k = 0;
    for (CheckedModel.Value v : model.intermediates()) {
      Node n = v.node();
      if (!v.name().equals(model.names().get(n))) {
        continue; // an alias of another name
      }
      Set<Node> body = body(n);
      Set<Node> params = new LinkedHashSet<>();
      for (Node x : body) {
        if (x.op() == Op.PARAM) {
          params.add(x);
        }
      }
      if (params.isEmpty()) {
        activation(v);
        continue;
      }
      Node pre = body.stream()
          .filter(x -> x != n && !x.op().isLeaf() && !model.names().containsKey(x)
              && x.shape().equals(n.shape()) && x.batched() == n.batched() && dominates(n, x))
          .max(Comparator.comparingInt(Node::id)).orElse(null);
      layers.add(new Layer(++k, v, pre == null ? n : pre, pre != null, params));
    }
  }

  /**
   * {@code h = f(z)} of a pre-activation {@code z} the model names itself: {@code h} becomes the
   * activation of z's layer, so that the story keeps the {@code f'(z)} line.
   */
  private void activation(CheckedModel.Value v) {
    Node n = v.node();
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      if (n.inputs().size() == 1 && n.input(0) == l.pre && l.value.node() == l.pre) {
        layers.set(i, new Layer(l.k, v, l.pre, false, l.params));
      }
    }
  }

  /**
   * The adjoints of the pre-activations and named values, simplified together with the gradients
   * so that they are the very nodes the gradient expressions are built from.
   */
  private void simplifyAdjoints() {
    List<Node> keys = new ArrayList<>();
    List<Node> roots = new ArrayList<>();
    Set<Node> wanted = new LinkedHashSet<>();
    for (Layer l : layers) {
      wanted.add(l.pre);
    }
    for (CheckedModel.Value v : model.intermediates()) {
      wanted.add(v.node());
    }
    for (Node n : wanted) {
      Node a = grads.adjoints().get(n);
      if (a != null && a.batched()) {
        keys.add(n);
        roots.add(a);
      }
    }
    roots.addAll(grads.gradients().values());
    List<Node> simplified = Simplifier.simplify(g, roots).roots();
    for (int i = 0; i < keys.size(); i++) {
      adjoint.put(keys.get(i), simplified.get(i));
      if (model.names().containsKey(keys.get(i)) && !simplified.get(i).op().isLeaf()) {
        adjointOf.putIfAbsent(simplified.get(i), keys.get(i));
      }
    }
  }

  // ---- sections ----

  private Section forward() {
    List<Step> steps = new ArrayList<>();
    for (CheckedModel.Value v : model.intermediates()) {
      Node n = v.node();
      Sym self = forwardNames.get(n);
      Sym own = new Sym(v.name(), texIdent(v.name()), false);
      if (!self.text().equals(v.name())) {
        steps.add(step(own, self.text(), self.tex(), n, "", List.of()));
        continue;
      }
      for (Layer l : layers) {
        if (l.value == v && l.synthesized) {
          steps.add(forwardStep(forwardNames.get(l.pre), l.pre, steps));
        }
      }
      steps.add(forwardStep(own, n, steps));
    }
    return new Section("Forward pass", "one example, in the names of the model", steps);
  }

  /** A forward equation in the names of the model, after the parts it needs named. */
  private Step forwardStep(Sym s, Node n, List<Step> into) {
    nameParts(n, forwardNames, null, into);
    return printed(s, forwardNames, null, n, "", List.of());
  }

  private Section loss() {
    Node loss = model.loss();
    List<Step> steps = new ArrayList<>();
    steps.add(forwardStep(new Sym("loss", "\\mathrm{loss}", false), loss, steps));
    steps.add(step(new Sym("L", "L", false), "(1/B) Σ_b loss", "\\frac{1}{B} \\sum_{b} \\mathrm{loss}",
        grads.objective(), "the mean over the batch of B examples", List.of()));
    return new Section("Loss", "per example; the training objective L is its batch mean", steps);
  }

  /**
   * Gives a name, and a step of its own in {@code into}, to every part of {@code n} that would be
   * repeated or is too long or deep to print inline ({@link ExprPrinter#toName}): the error
   * signal ∂loss/∂v of a named value v where it is one, else a temporary τ1, τ2, ….
   */
  private void nameParts(Node n, Map<Node, Sym> scope, String exclude, List<Step> into) {
    for (Node t : new ExprPrinter(scope, exclude, false, column).toName(n, adjointOf::containsKey)) {
      Node of = adjointOf.get(t);
      Sym s = of != null && errorNames.add(errorSym(of).text()) ? errorSym(of)
          : new Sym("τ" + ++temporaries, "\\tau_{" + temporaries + "}", false);
      into.add(printed(s, scope, s.text(), t, "", List.of()));
      scope.put(t, s);
      names.putIfAbsent(t, s);
    }
  }

  private Sym errorSym(Node x) {
    String nm = model.names().get(x);
    return new Sym("∂loss/∂" + nm, "\\frac{\\partial\\, \\mathrm{loss}}{\\partial "
        + texIdent(nm) + "}", false);
  }

  private Section backward() {
    // error signals of the pre-activations, last layer first, take precedence
    Map<Node, Sym> delta = new LinkedHashMap<>();
    for (int i = layers.size() - 1; i >= 0; i--) {
      Layer l = layers.get(i);
      Node a = adjoint.get(l.pre);
      if (a != null && !a.op().isLeaf()) {
        Sym s = new Sym("δ" + l.k, "\\delta_{" + l.k + "}", false);
        delta.put(l.pre, s);
        register(a, s);
      }
    }
    // output error signals: named values the loss or the outputs read directly
    Set<Node> outs = new LinkedHashSet<>();
    for (Node x : body(model.loss())) {
      if (x != model.loss() && model.names().containsKey(x) && !x.op().isLeaf()) {
        outs.add(x);
      }
    }
    model.outputs().forEach(v -> outs.add(v.node()));
    Map<Node, Sym> outputErrors = new LinkedHashMap<>();
    for (Node x : outs) {
      Node a = adjoint.get(x);
      if (a != null && !a.op().isLeaf() && !names.containsKey(a)) {
        String nm = model.names().get(x);
        Sym s = new Sym("∂loss/∂" + nm, "\\frac{\\partial\\, \\mathrm{loss}}{\\partial "
            + texIdent(nm) + "}", false);
        outputErrors.put(x, s);
        errorNames.add(s.text());
        register(a, s);
      }
    }
    List<Step> steps = new ArrayList<>();
    Map<Layer, Step> derivative = activationDerivatives(steps);
    outputErrors.forEach((x, s) -> steps.add(defined(s, adjoint.get(x),
        "the output error signal", List.of(), steps)));
    for (int i = layers.size() - 1; i >= 0; i--) {
      Layer l = layers.get(i);
      Sym s = delta.get(l.pre);
      if (s == null) {
        continue;
      }
      Step where = derivative.get(l);
      String on = forwardNames.get(l.pre).text();
      steps.add(defined(s, adjoint.get(l.pre), "∂loss/∂" + on,
          where == null ? List.of() : List.of(where), steps));
    }
    return new Section("Backward pass: error signals",
        "δ_k = ∂loss/∂z_k for one example, from the output back to the input", steps);
  }

  /** {@code σ'(z_k) = h ⊙ (1 − h)} and its kin, where the simplified graph holds that node. */
  private Map<Layer, Step> activationDerivatives(List<Step> into) {
    List<Node> roots = new ArrayList<>(adjoint.values());
    roots.addAll(grads.gradients().values());
    Set<Node> used = new HashSet<>(Graph.topological(roots));
    // by identity: the keys are the layers of the list, and a record's hash would hash its set
    Map<Layer, Step> out = new IdentityHashMap<>();
    for (Layer l : layers) {
      Node act = l.value.node();
      if (act.op() != Op.UNARY || act.input(0) != l.pre) {
        continue;
      }
      Sym z = forwardNames.get(l.pre);
      Node d;
      String fn;
      String texFn;
      switch (act.fn()) {
        case SIGMOID -> {
          d = g.mul(act, g.sub(g.number(1), act));
          fn = "σ'";
          texFn = "\\sigma'";
        }
        case TANH -> {
          d = g.sub(g.number(1), g.mul(act, act));
          fn = "tanh'";
          texFn = "\\tanh'";
        }
        case RELU -> {
          // [z > 0], or [h > 0] where the simplifier read the mask off the activation
          d = used.contains(g.step(l.pre)) ? g.step(l.pre) : g.step(act);
          fn = "relu'";
          texFn = "\\operatorname{relu}'";
        }
        default -> {
          continue;
        }
      }
      if (used.contains(d) && !names.containsKey(d)) {
        Sym s = new Sym(fn + "(" + z.text() + ")", texFn + "\\left(" + z.tex() + "\\right)",
            false);
        names.put(d, s);
        out.put(l, defined(s, d, "", List.of(), into));
      }
    }
    return out;
  }

  private Section gradients() {
    List<Step> steps = new ArrayList<>();
    List<Node> order = new ArrayList<>();
    for (int i = layers.size() - 1; i >= 0; i--) {
      List<Node> declared = model.params().stream().map(CheckedModel.Param::node)
          .filter(layers.get(i).params::contains).toList();
      for (Node p : declared) {
        if (!order.contains(p)) {
          order.add(p);
        }
      }
    }
    for (Node p : grads.gradients().keySet()) {
      if (!order.contains(p)) {
        order.add(p);
      }
    }
    for (Node p : order) {
      String nm = p.name();
      Sym s = new Sym("dL/d" + nm, "\\frac{\\partial L}{\\partial " + texIdent(nm) + "}", false);
      steps.add(defined(s, grads.gradient(p), "", List.of(), steps));
    }
    return new Section("Parameter gradients",
        "the gradient of L, the batch mean: Σ_b sums over the B examples", steps);
  }

  private void register(Node a, Sym s) {
    names.putIfAbsent(a, s);
    if (a.is(Fn.NEG)) {
      names.putIfAbsent(a.input(0), s.negate());
    }
  }

  /**
   * A step printed with every name in scope except its own, after the steps of the parts it
   * needs named (added to {@code into}).
   */
  private Step defined(Sym s, Node n, String note, List<Step> where, List<Step> into) {
    nameParts(n, names, s.text(), into);
    return printed(s, names, s.text(), n, note, where);
  }

  /** The step {@code s = n}, printed in Unicode and LaTeX with the names of {@code scope}. */
  private Step printed(Sym s, Map<Node, Sym> scope, String exclude, Node n, String note,
      List<Step> where) {
    return step(s, new ExprPrinter(scope, exclude, false, column).define(n),
        new ExprPrinter(scope, exclude, true, column).define(n), n, note, where);
  }

  private Step step(Sym s, String text, String tex, Node n, String note, List<Step> where) {
    double[] value = null;
    if (evaluator != null) {
      double[] all = evaluator.value(n);
      int size = n.shape().size();
      int from = example * size;
      value = n.batched() ? java.util.Arrays.copyOfRange(all, from, from + size) : all;
    }
    return new Step(s.text(), s.tex(), text, tex, n, value, note, where,
        model.names().containsValue(s.text()));
  }

  // ---- cost ----

  private Explanation.Cost cost() {
    Set<Node> fwd = new HashSet<>(Graph.topological(List.of(grads.objective())));
    long f = 0;
    for (Node n : fwd) {
      f += ops(n);
    }
    long b = 0;
    for (Node n : Graph.topological(new ArrayList<>(grads.gradients().values()))) {
      if (!fwd.contains(n)) {
        b += ops(n);
      }
    }
    return new Explanation.Cost(f, b);
  }

  /** Operations of one node for one example (see {@link Explanation.Cost}). */
  static long ops(Node n) {
    List<Node> in = n.inputs();
    return switch (n.op()) {
      case INPUT, TARGET, PARAM, CONST, NUMBER, BATCH_SIZE, TRANSPOSE, INDEX, PLACE, BROADCAST,
          RESHAPE -> 0;
      case MATMUL -> {
        int k = in.get(0).shape().dim(in.get(0).shape().rank() - 1);
        yield (long) n.shape().size() * k;
      }
      case SUM, SUM_ROWS, BATCH_SUM, BATCH_MEAN, SOFTMAX, LOG_SOFTMAX, LOGSUMEXP ->
          in.get(0).shape().size();
      case UNARY, BINARY, CUSTOM, OUTER, IM2COL, COL2IM, MAX_POOL, MAX_UNPOOL, AVG_POOL,
          AVG_UNPOOL -> n.shape().size();
    };
  }
}
