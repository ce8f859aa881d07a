package org.gradc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.gradc.codegen.Derivation;
import org.gradc.codegen.JavaEmitter;
import org.gradc.codegen.ModelCompiler;
import org.gradc.diag.SourceFile;
import org.gradc.diff.Gradients;
import org.gradc.diff.PerExample;
import org.gradc.diff.SecondOrder;
import org.gradc.explain.Explainer;
import org.gradc.explain.Explanation;
import org.gradc.explain.Formulas;
import org.gradc.explain.StoryWriter;
import org.gradc.explain.Values;
import org.gradc.ir.DotWriter;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Evaluator;
import org.gradc.ir.Graph;
import org.gradc.ir.Node;
import org.gradc.ir.Op;
import org.gradc.lower.Plan;
import org.gradc.lower.Layouts;
import org.gradc.lower.Planner;
import org.gradc.runtime.ClassCompiler;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.DiskClassCache;
import org.gradc.runtime.LoadedModel;
import org.gradc.runtime.ModelLayout;
import org.gradc.runtime.Precision;
import org.gradc.runtime.TrainSpec;
import org.gradc.sema.CheckedModel;
import org.gradc.simplify.Simplifier;

/**
 * One checked model and every view of it: the summary of {@code gradc check}, the simplified
 * gradients, the backpropagation story, the graph, the generated Java and the compiled class.
 * The façade runs each phase at most once per model: the simplified gradients are computed the
 * first time a view needs them and shared by the others and by the planner; the plan is made
 * once for the Java source and the compiled class; the layout needs no compilation.
 * Safe to use from several threads at once: every phase reads immutable values and returns new
 * ones, so views run in parallel; a thread that needs a phase result being computed waits for it.
 */
public final class Model {
  private final CheckedModel checked;
  /** Where compiled classes persist between runs, or null to compile in this JVM only. */
  private final DiskClassCache cache;
  private final Once<Gradients> gradients;
  private final Once<Plan> plan;
  private final Once<Explanation> story;
  private final Once<Derivation> derivation;
  private final Once<CompiledModel> compiled;
  private final Once<CompiledModel> compiled32;
  private final Once<Plan> directionalPlan;
  private final Once<LoadedModel> directional;
  private final Once<Plan> perExamplePlan;
  private final Once<LoadedModel> perExample;

  Model(CheckedModel checked, DiskClassCache cache) {
    this.checked = checked;
    this.cache = cache;
    List<Node> params = checked.params().stream().map(CheckedModel.Param::node).toList();
    this.gradients = new Once<>(() -> Simplifier.gradients(checked.graph(), checked.loss(), params));
    this.plan = new Once<>(() -> Planner.plan(checked, gradients.get()));
    this.story = new Once<>(() -> Explainer.explain(checked, gradients.get(), null));
    this.derivation = new Once<>(this::derive);
    this.directionalPlan = new Once<>(() -> {
      CheckedModel d = SecondOrder.directional(checked, gradients.get());
      List<Node> both = d.params().stream().map(CheckedModel.Param::node).toList();
      return Planner.plan(d, Simplifier.gradients(d.graph(), d.loss(), both));
    });
    this.directional = new Once<>(() -> ModelCompiler.compile(directionalPlan.get()));
    this.perExamplePlan = new Once<>(() -> {
      PerExample.Derived d = PerExample.of(checked, gradients.get());
      return Planner.plan(d.model(), d.gradients());
    });
    this.perExample = new Once<>(() -> ModelCompiler.compile(perExamplePlan.get()));
    this.compiled = new Once<>(() -> compileFirstOrder(Precision.F64)
        .withDerivatives(directional::get, perExample::get));
    this.compiled32 = new Once<>(() -> compileFirstOrder(Precision.F32)
        .withDerivatives(directional::get, perExample::get));
  }

  /** A value computed the first time it is asked for, by one thread; the others wait for it. */
  private static final class Once<T> implements Runnable {
    private final Supplier<T> compute;
    private volatile T value;

    Once(Supplier<T> compute) {
      this.compute = compute;
    }

    /**
     * Starts computing the value on a daemon thread, for a caller that needs it after other
     * work. Only a head start: whichever thread comes first computes it, and when that thread
     * fails, the next {@link #get()} computes it again and meets the failure itself.
     */
    void startInBackground(String threadName) {
      if (value == null) {
        Thread t = new Thread(this, threadName);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> { });
        t.start();
      }
    }

    @Override
    public void run() {
      get();
    }

    T get() {
      T v = value;
      if (v == null) {
        synchronized (this) {
          v = value;
          if (v == null) {
            v = compute.get();
            value = v;
          }
        }
      }
      return v;
    }
  }

  /**
   * The model's name.
   *
   * @return the name after {@code model}
   */
  public String name() {
    return checked.name();
  }

  /**
   * The file the model was checked from.
   *
   * @return the source file
   */
  public SourceFile file() {
    return checked.file();
  }

  /**
   * The layout of parameters, inputs, targets and outputs, straight from the checked model.
   *
   * @return the layout a values or parameter file is read with
   */
  public ModelLayout layout() {
    return Layouts.of(checked);
  }

  /**
   * The defaults of the model's {@code train} block (its precision among them), without
   * compiling it.
   *
   * @return the declared settings; {@link TrainSpec#NONE} without a block
   */
  public TrainSpec trainDefaults() {
    return Layouts.of(checked).train();
  }

  /**
   * {@code gradc check}'s description: inputs, targets, params with shapes and initializers,
   * intermediates, outputs, the loss and the parameter count.
   *
   * @return the text, one block per model
   */
  public String summary() {
    return Summary.of(checked);
  }

  /**
   * The simplified derivative of the batch-mean loss for every parameter, with the error
   * signals named as in {@link #explain} (the same text for the same node), as {@code gradc grad}
   * prints it.
   *
   * @param latex LaTeX instead of Unicode math
   * @return the text
   */
  public String gradientText(boolean latex) {
    return StoryWriter.gradients(story.get(), latex);
  }

  /**
   * The symbolic Hessian of the batch-mean loss, simplified, one line per entry of its upper
   * triangle ({@code gradc grad --order 2}), for a model whose parameters are at most
   * {@link #MAX_HESSIAN_PARAMETERS} scalars.
   *
   * @param latex LaTeX instead of Unicode math
   * @return the text
   * @throws IllegalArgumentException naming the parameters when the model has others
   */
  public String hessianText(boolean latex) {
    List<CheckedModel.Param> params = checked.params();
    if (params.size() > MAX_HESSIAN_PARAMETERS
        || params.stream().anyMatch(p -> !p.node().shape().isScalar())) {
      throw new IllegalArgumentException("the Hessian is printed for at most "
          + MAX_HESSIAN_PARAMETERS + " scalar parameters; model " + name() + " has "
          + String.join(", ", params.stream().map(p -> p.name() + " " + p.node().shape())
              .limit(MAX_HESSIAN_PARAMETERS + 1).toList())
          + (params.size() > MAX_HESSIAN_PARAMETERS + 1 ? ", …" : ""));
    }
    List<Node> nodes = params.stream().map(CheckedModel.Param::node).toList();
    SecondOrder.Hessian h = SecondOrder.hessian(gradients.get(), nodes);
    GraphBuilder b = h.graph().fork();
    Map<String, Node> entries = new LinkedHashMap<>();
    for (int i = 0; i < params.size(); i++) {
      for (int j = i; j < params.size(); j++) {
        String label = latex
            ? "\\frac{\\partial^2 L}{\\partial " + params.get(i).name() + " \\partial "
                + params.get(j).name() + "}"
            : "∂²L/∂" + params.get(i).name() + "∂" + params.get(j).name();
        entries.put(label, h.rows().get(nodes.get(i)).get(nodes.get(j)));
      }
    }
    List<Node> simplified = Simplifier.simplify(b, new ArrayList<>(entries.values())).roots();
    int k = 0;
    for (Map.Entry<String, Node> e : entries.entrySet()) {
      e.setValue(simplified.get(k++));
    }
    return Formulas.lines(entries, checked.names(), latex);
  }

  /** The most scalar parameters whose Hessian {@link #hessianText} prints. */
  public static final int MAX_HESSIAN_PARAMETERS = 6;

  /**
   * The backpropagation story of {@code gradc explain}, with the numbers of the first example.
   *
   * @param leaves values of every leaf by DSL name (as {@code ValuesFile.Values.leaves} gives
   *     them), or null for the story without numbers
   * @param batchSize the number of examples in {@code leaves}
   * @param markdown Markdown with LaTeX math instead of plain text
   * @return the story
   */
  public String explain(Map<String, double[]> leaves, int batchSize, boolean markdown) {
    return explain(leaves, batchSize, 0, markdown);
  }

  /**
   * The backpropagation story of {@code gradc explain}.
   *
   * @param leaves values of every leaf by DSL name (as {@code ValuesFile.Values.leaves} gives
   *     them), or null for the story without numbers
   * @param batchSize the number of examples in {@code leaves}
   * @param example the example whose numbers are shown, counted from 0 (ignored without leaves)
   * @param markdown Markdown with LaTeX math instead of plain text
   * @return the story
   * @throws IllegalArgumentException when {@code example} is not in the batch
   */
  public String explain(Map<String, double[]> leaves, int batchSize, int example,
      boolean markdown) {
    Values values = leaves == null ? null : new Values(batchSize, leaves, example);
    var story = Explainer.explain(checked, gradients.get(), values);
    return markdown ? StoryWriter.markdown(story) : StoryWriter.text(story);
  }

  /**
   * Graphviz DOT of the forward graph (outputs and loss), or with {@code backward} of the
   * outputs, the objective and the simplified gradient of every parameter, its nodes named as in
   * the story ({@code z1}, {@code δ2}, {@code dL/dW1}). With values, every forward node shows its
   * value for the first example and its gradient, as micrograd draws them.
   *
   * @param backward include the gradients
   * @param leaves values of every leaf by DSL name (as for {@link #explain}), or null
   * @param batchSize the number of examples in {@code leaves}
   * @return the DOT text
   */
  public String dot(boolean backward, Map<String, double[]> leaves, int batchSize) {
    Gradients grads = gradients.get();
    Map<Node, String> names = new HashMap<>(derivation.get().names());
    names.putAll(checked.names());
    Map<String, Node> roots = new LinkedHashMap<>();
    checked.outputs().forEach(o -> roots.put(o.name(), o.node()));
    roots.put("loss", checked.loss());
    Set<Node> forward = new HashSet<>(Graph.topological(new ArrayList<>(roots.values())));
    Set<Node> back = new HashSet<>();
    if (backward) {
      grads.gradients().forEach((p, g) -> roots.put("dL/d" + checked.names().get(p), g));
      back.addAll(Graph.topological(new ArrayList<>(grads.gradients().values())));
      back.removeAll(forward);
    }
    Map<Node, String> data = new HashMap<>();
    Map<Node, String> gradText = new HashMap<>();
    if (leaves != null) {
      Evaluator ev = new Evaluator(batchSize, leaves);
      for (Node n : Graph.topological(new ArrayList<>(roots.values()))) {
        data.put(n, firstExample(ev, n));
      }
      Map<Node, String> signals = story.get().signals();
      grads.adjoints().forEach((n, a) -> {
        Node g = n.op() == Op.PARAM ? grads.gradient(n) : a;
        String name = n.op() == Op.PARAM ? "dL/d" + checked.names().get(n) : signals.get(n);
        if (forward.contains(n) && g != null) {
          gradText.put(n, (name == null ? "" : name + " = ") + firstExample(ev, g));
        }
      });
    }
    return DotWriter.write(roots, new DotWriter.Labels(names, back, data, gradText));
  }

  /** A node's value for the first example (or as a whole when unbatched), three decimals. */
  private static String firstExample(Evaluator ev, Node n) {
    double[] all = ev.value(n);
    return StoryWriter.format(n.batched() ? Arrays.copyOf(all, n.shape().size()) : all,
        n.shape());
  }

  /**
   * The generated Java source of the model.
   *
   * @param packageName the Java package, "" for none
   * @return the class name and its source
   */
  public JavaSource java(String packageName) {
    return java(packageName, Precision.F64);
  }

  /**
   * The generated Java source of the model computing in {@code precision}: {@code double} or
   * {@code float} arrays, literals and arithmetic.
   *
   * @param packageName the Java package, "" for none
   * @param precision the element type of the generated code
   * @return the class name and its source
   */
  public JavaSource java(String packageName, Precision precision) {
    JavaEmitter.Emitted e = JavaEmitter.emit(planWhileDeriving(), packageName, derivation.get(),
        precision);
    return new JavaSource(e.className(), e.source());
  }

  /**
   * The generated Java source of the model's Hessian-vector products: the class of the
   * directional model, whose parameters are θ then the direction v and whose gradient is H·v
   * then the gradient.
   *
   * @param packageName the Java package, "" for none
   * @return the class name and its source
   */
  public JavaSource hessianVectorProductJava(String packageName) {
    JavaEmitter.Emitted e = JavaEmitter.emit(directionalPlan.get(), packageName);
    return new JavaSource(e.className(), e.source());
  }

  /**
   * The model compiled with Janino and loaded (compiled once per model, and classes are cached
   * by their code across models). When the program was loaded with a {@link DiskClassCache},
   * a class compiled before from the same file, model and build of gradc is taken from it
   * without planning or compiling.
   *
   * @return the compiled model
   */
  public CompiledModel compile() {
    return compiled.get();
  }

  /**
   * The model compiled as {@link #compile()} does, computing in {@code precision}: with
   * {@link Precision#F32} its parameters, activations and gradients are {@code float}s (the
   * {@code double[]} methods convert at the boundary; the {@code float[]} ones do not). Each
   * precision is compiled once per model.
   *
   * @param precision the element type of the generated code
   * @return the compiled model, whose {@link CompiledModel#precision()} is {@code precision}
   */
  public CompiledModel compile(Precision precision) {
    return (precision == Precision.F32 ? compiled32 : compiled).get();
  }

  /**
   * Starts warming up, on one spare thread, the code generator's library and then the Java
   * compiler, which a compilation in this JVM needs last (see {@link ClassCompiler}).
   */
  static void warmUpInBackground() {
    // a lambda, not a method reference: JavaPoet's classes load on the warm-up thread
    ClassCompiler.warmUpInBackground(() -> ModelCompiler.warmUp());
  }

  /** The model's class: from the persistent cache when there is one (a hit plans nothing). */
  private LoadedModel compileFirstOrder(Precision precision) {
    if (cache == null) {
      warmUpInBackground();
      return ModelCompiler.compile(planWhileDeriving(), derivation.get(), precision);
    }
    // f64 entries keep the key they had before f32 existed
    List<String> key = precision == Precision.F64 ? List.of(file().name(), file().text(), name())
        : List.of(file().name(), file().text(), name(), precision.text());
    return cache.load(DiskClassCache.key(key), Layouts.of(checked), () -> {
      JavaSource code = java(ModelCompiler.RUNTIME_PACKAGE, precision);
      return new DiskClassCache.Code(
          ModelCompiler.RUNTIME_PACKAGE + "." + code.className(), code.source());
    });
  }

  /**
   * The plan, made while another thread tells the story whose names the generated code reads:
   * both need only the gradients, and the story costs about as much as the plan in a cold JVM.
   */
  private Plan planWhileDeriving() {
    derivation.startInBackground("gradc-explain");
    return plan.get();
  }

  /** The story's names and steps, which the generated code uses too (one naming, every view). */
  private Derivation derive() {
    Map<Node, String> names = new HashMap<>();
    Map<Node, String> steps = new HashMap<>();
    List<List<Explanation.Step>> groups = new ArrayList<>();
    story.get().sections().forEach(s -> groups.add(s.steps()));
    groups.add(story.get().inlined());
    for (List<Explanation.Step> group : groups) {
      for (Explanation.Step st : group) {
        for (Explanation.Step w : st.where()) {
          names.putIfAbsent(w.node(), w.name());
          steps.putIfAbsent(w.node(), w.name() + " = " + w.text());
        }
        names.putIfAbsent(st.node(), st.name());
        steps.putIfAbsent(st.node(), st.name() + " = " + st.text());
      }
    }
    return new Derivation(names, steps);
  }

  /**
   * A generated class.
   *
   * @param className its simple name
   * @param source its Java source
   */
  public record JavaSource(String className, String source) {}

  @Override
  public String toString() {
    return "Model " + name() + " (" + checked.parameterCount() + " parameters)";
  }
}
