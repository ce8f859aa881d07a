package org.gradc.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gradc.Gradc;
import org.gradc.diag.SourceFile;
import org.gradc.ir.Fn;
import org.gradc.ir.Graph;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;
import org.gradc.ir.Op;
import org.gradc.ir.Shape;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private static Plan plan(String text) {
    return Planner.plan(Gradc.check(new SourceFile("t.grad", text)).models().get(0));
  }

  private static Map<Node, Kernel> fuse(Node... roots) {
    return Fusion.kernels(Graph.topological(List.of(roots)), Set.of(roots));
  }

  private static Node param(Plan plan, String name) {
    return plan.params().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow()
        .node();
  }

  private static <K extends Kernel> List<K> kernels(List<Kernel> list, Class<K> kind) {
    List<K> out = new ArrayList<>();
    for (Kernel k : list) {
      if (kind.isInstance(k)) {
        out.add(kind.cast(k));
      }
    }
    return out;
  }

  // ---- fusion decisions ----

  @Test
  void singleUseElementwiseValuesAreInlinedIntoTheirConsumer() {
    GraphBuilder g = new GraphBuilder();
    Node x = g.input("x", Shape.of(4));
    Node w = g.param("w", Shape.of(4));
    Node a = g.mul(x, w);
    Node b = g.add(a, g.number(1));
    Node c = g.tanh(b);
    Map<Node, Kernel> kernels = fuse(c);
    assertEquals(List.of(c), List.copyOf(kernels.keySet()));
    Kernel.Elementwise k = (Kernel.Elementwise) kernels.get(c);
    assertEquals(List.of(a, b), k.inlined());
    assertEquals(Set.of(x, w, g.number(1)), Set.copyOf(k.reads()));
  }

  @Test
  void valuesUsedTwiceRootsAndOtherBatchingAreStored() {
    GraphBuilder g = new GraphBuilder();
    Node x = g.input("x", Shape.of(4));
    Node w = g.param("w", Shape.of(4));
    Node a = g.mul(x, w);
    Node c = g.add(g.exp(a), a);
    Map<Node, Kernel> twice = fuse(c);
    assertEquals(List.of(a, c), List.copyOf(twice.keySet()));
    assertEquals(List.of(g.exp(a)), ((Kernel.Elementwise) twice.get(c)).inlined());

    Node t = g.tanh(x);
    Node u = g.sin(t);
    assertEquals(List.of(t, u), List.copyOf(fuse(t, u).keySet()));

    Node unbatched = g.exp(w);
    Node batched = g.mul(x, unbatched);
    assertEquals(List.of(unbatched, batched), List.copyOf(fuse(batched).keySet()));
  }

  @Test
  void aFusedLoopComputesAtMostMaxFusedNodes() {
    GraphBuilder g = new GraphBuilder();
    Node n = g.input("x", Shape.of(3));
    List<Node> chain = new ArrayList<>();
    for (int i = 0; i < Planner.MAX_FUSED + 4; i++) {
      n = i % 2 == 0 ? g.sin(n) : g.cos(n);
      chain.add(n);
    }
    Map<Node, Kernel> kernels = fuse(n);
    Node full = chain.get(Planner.MAX_FUSED - 1);
    assertEquals(List.of(full, n), List.copyOf(kernels.keySet()));
    assertEquals(chain.subList(0, Planner.MAX_FUSED - 1),
        ((Kernel.Elementwise) kernels.get(full)).inlined());
    assertEquals(chain.subList(Planner.MAX_FUSED, chain.size() - 1),
        ((Kernel.Elementwise) kernels.get(n)).inlined());
  }

  @Test
  void aBatchSumOfASingleUseProductIsOneProductKernel() {
    GraphBuilder g = new GraphBuilder();
    Node x = g.input("x", Shape.of(3));
    Node d = g.input("d", Shape.of(2));
    Node outer = g.outer(x, d);
    Node sum = g.batchSum(outer);
    Map<Node, Kernel> kernels = fuse(sum);
    assertEquals(List.of(sum), List.copyOf(kernels.keySet()));
    assertEquals(new Kernel.Product(sum, outer, true), kernels.get(sum));

    Map<Node, Kernel> both = fuse(sum, outer);
    assertEquals(new Kernel.Product(outer, outer, false), both.get(outer));
    assertEquals(new Kernel.Structural(sum), both.get(sum));
  }

  static final String XOR = "model Xor {\n  input x[2]\n  target y[1]\n"
      + "  param W1[2, 4] = uniform(-1, 1)\n  param b1[4]\n  param W2[4, 1] = uniform(-1, 1)\n"
      + "  param b2[1]\n  h = sigmoid(x @ W1 + b1)\n  yhat = sigmoid(h @ W2 + b2)\n"
      + "  output yhat\n  loss mse(yhat, y)\n}\n";

  @Test
  void aParameterGradientIsOneProductDividingItsSumsByB() {
    Plan plan = plan(XOR);
    Node grad = plan.gradients().get(param(plan, "W1"));
    Kernel.Product k = kernels(plan.train(), Kernel.Product.class).stream()
        .filter(p -> p.out() == grad).findFirst().orElseThrow();
    assertTrue(k.batchSum() && k.batchMean(), k.toString());
    assertEquals(Op.OUTER, k.product().op());
    assertTrue(grad.is(Fn.DIV), grad.toString());
    // written straight into the caller's gradient vector
    assertEquals(new Storage.Arg(Storage.Array.GRAD, 0, 0), plan.storageOf(grad));
  }

  // ---- buffers ----

  @Test
  void buffersAreReusedOnceTheirLastReaderHasRun() {
    GraphBuilder g = new GraphBuilder();
    Node x = g.input("x", Shape.of(4));
    List<Node> chain = new ArrayList<>();
    Node n = x;
    for (int i = 0; i < 4; i++) {
      n = g.softmax(n);
      chain.add(n);
    }
    Map<Node, Kernel> kernels = new LinkedHashMap<>();
    for (Node c : chain) {
      kernels.put(c, new Kernel.Structural(c));
    }
    Map<Node, Storage> storage = new HashMap<>();
    storage.put(x, new Storage.Arg(Storage.Array.INPUTS, 0, 4));
    List<Plan.BufferSpec> buffers = Planner.assignBuffers(kernels,
        List.copyOf(kernels.values()), List.of(), n, storage);
    // each value is live until the next one is computed: two buffers alternate
    assertEquals(List.of(new Plan.BufferSpec(0, List.of(chain.get(0), chain.get(2)), 4, true),
        new Plan.BufferSpec(1, List.of(chain.get(1), chain.get(3)), 4, true)), buffers);
    assertEquals(new Storage.Buffer(1), storage.get(n));
  }

  // ---- loops chosen in the plan ----

  @Test
  void smallModelsRunFlatLoopsInFusedRuns() {
    Plan plan = plan(XOR);
    for (Kernel.Product p : kernels(plan.train(), Kernel.Product.class)) {
      assertTrue(p.gemm().isEmpty(), p.toString());
    }
    assertEquals(0, plan.scratchSize());
    for (List<Step> steps : List.of(plan.trainSteps(), plan.predictSteps())) {
      List<Kernel> flattened = new ArrayList<>();
      steps.forEach(s -> flattened.addAll(s.kernels()));
      assertEquals(steps == plan.trainSteps() ? plan.train() : plan.predict(), flattened);
    }
    List<Step.Fused> runs = new ArrayList<>();
    plan.trainSteps().forEach(s -> s.match(one -> null, runs::add));
    assertFalse(runs.isEmpty(), plan.trainSteps().toString());
    for (Step.Fused run : runs) {
      assertTrue(run.kernels().size() >= 2 && run.kernels().size() <= RunFusion.MAX_RUN);
      for (Kernel k : run.after()) {
        assertTrue(k instanceof Kernel.Elementwise && !k.out().batched()
            && k.out().shape().size() == 1, k.toString());
      }
      for (Kernel k : run.inLoop()) {
        if (k instanceof Kernel.Elementwise ew) {
          assertTrue(ew.loop() == Kernel.Elementwise.Loop.FLAT && !ew.vectorTanh(), ew.toString());
          assertEquals(run.elements(), ew.out().shape().size());
          assertEquals(readOutside(plan.train(), run, ew.out()) || ew.out() == plan.objective(),
              run.stored().contains(ew.out()), ew.toString());
        } else {
          assertTrue(run.elements() == 1 && (k.out().op() == Op.BATCH_SUM
              || k.out().op() == Op.BATCH_MEAN), k.toString());
        }
      }
    }
  }

  @Test
  void scalarGradientsAreComputedAfterTheLoopFromTheSumsInLocals() {
    Plan plan = plan("model N {\n  input x\n  target y\n  param w = 1.2\n  param b = -0.8\n"
        + "  yhat = sigmoid(w * x + b)\n  output yhat\n  loss 0.5 * (y - yhat)^2\n}\n");
    assertEquals(1, plan.trainSteps().size(), plan.trainSteps().toString());
    Step.Fused run = (Step.Fused) plan.trainSteps().get(0);
    assertEquals(Set.copyOf(plan.gradients().values()),
        Set.copyOf(run.after().stream().map(Kernel::out).toList()));
    for (Kernel k : run.after()) {
      assertTrue(plan.storageOf(k.out()) instanceof Storage.Arg a
          && a.array() == Storage.Array.GRAD, k.toString());
    }
    // the gradients' batch sums live in locals; the mean loss is stored for the caller
    Set<Node> sums = new java.util.HashSet<>();
    for (Kernel k : run.inLoop()) {
      if (k instanceof Kernel.Structural st) {
        assertEquals(st.out() == plan.objective(), run.stored().contains(st.out()), st.toString());
        sums.add(st.out());
      }
    }
    assertEquals(3, sums.size(), run.toString());
    assertTrue(run.stored().containsAll(run.after().stream().map(Kernel::out).toList()));
  }

  private static boolean readOutside(List<Kernel> entry, Step.Fused run, Node n) {
    for (Kernel k : entry) {
      if (!run.kernels().contains(k) && k.reads().contains(n)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aFusedRunEndsAfterMaxRunKernels() {
    GraphBuilder g = new GraphBuilder();
    Node x = g.input("x", Shape.of(2));
    Map<Node, Storage> storage = new HashMap<>();
    storage.put(x, new Storage.Arg(Storage.Array.INPUTS, 0, 2));
    List<Kernel> kernels = new ArrayList<>();
    Node n = x;
    for (int i = 0; i < RunFusion.MAX_RUN + 4; i++) {
      n = g.exp(n);
      storage.put(n, new Storage.Buffer(i % 2));
      kernels.add(new Kernel.Elementwise(n, List.of(), Kernel.Elementwise.Loop.FLAT, false));
    }
    List<Step> steps = RunFusion.steps(kernels, storage, n);
    assertEquals(2, steps.size());
    Step.Fused first = (Step.Fused) steps.get(0);
    Step.Fused second = (Step.Fused) steps.get(1);
    assertEquals(RunFusion.MAX_RUN, first.kernels().size());
    assertEquals(4, second.kernels().size());
    assertEquals(2, first.elements());
    // only the last value of a run is read after it, and the objective by the caller
    assertEquals(Set.of(first.kernels().get(RunFusion.MAX_RUN - 1).out()), first.stored());
    assertEquals(Set.of(n), second.stored());
  }

  @Test
  void wideTanhActivationsAreOneVectorizedCall() {
    Plan plan = plan("model T {\n  input x[4]\n  param W[4, 16]\n  param V[4, 4]\n"
        + "  h = tanh(x @ W)\n  k = tanh(x @ V)\n  loss sum(h) + sum(k)\n}\n");
    Map<Integer, Kernel.Elementwise> tanhBySize = new HashMap<>();
    for (Kernel.Elementwise ew : kernels(plan.train(), Kernel.Elementwise.class)) {
      if (ew.out().is(Fn.TANH)) {
        tanhBySize.put(ew.out().shape().size(), ew);
      }
    }
    assertTrue(tanhBySize.get(16).vectorTanh(), tanhBySize.toString());
    assertFalse(tanhBySize.get(4).vectorTanh(), tanhBySize.toString());
  }

  @Test
  void largeProductsAreGemmCallsTheTransposedOnesWithScratch() {
    Plan plan = plan("model G {\n  input x[64]\n  target y[64]\n  param W[64, 16]\n"
        + "  param V[16, 64]\n  h = tanh(x @ W)\n  z = h @ V\n  output z\n  loss mse(z, y)\n}\n");
    List<Kernel.Gemm> gemms = new ArrayList<>();
    for (Kernel.Product p : kernels(plan.train(), Kernel.Product.class)) {
      p.gemm().ifPresent(gemms::add);
    }
    Kernel.Gemm forward = gemms.stream().filter(m -> m.b() == param(plan, "W")).findFirst()
        .orElseThrow();
    assertFalse(forward.aTransposed() || forward.transposed(), forward.toString());
    assertEquals(List.of(-1, 16, 64), List.of(forward.m(), forward.n(), forward.k()));
    assertTrue(gemms.stream().anyMatch(Kernel.Gemm::aTransposed), gemms.toString());
    Kernel.Gemm back = gemms.stream().filter(Kernel.Gemm::transposed).findFirst().orElseThrow();
    assertEquals(param(plan, "V"), back.b());
    assertEquals(64 * 16, plan.scratchSize());
  }

  /** The dense layers of a plan's predict entry: their activations, by the value stored. */
  private static Map<String, org.gradc.runtime.Activation> denseLayers(Plan plan) {
    Map<String, org.gradc.runtime.Activation> out = new LinkedHashMap<>();
    for (Kernel.Product p : kernels(plan.predict(), Kernel.Product.class)) {
      p.epilogue().ifPresent(e -> out.put(plan.names().getOrDefault(p.out(), "?"),
          e.activation()));
    }
    return out;
  }

  @Test
  void denseLayersOnTheKernelAreOneProductKernelWithTheirEpilogue() {
    Plan plan = plan("model D {\n  input x[32]\n  target y[4]\n"
        + "  layer a = dense(x, 16, relu)\n  layer b = dense(a, 64, sigmoid)\n"
        + "  layer c = dense(b, 16)\n  layer d = dense(c, 4)\n  output d\n"
        + "  loss mse(d, y)\n}\n");
    assertEquals(Map.of("a", org.gradc.runtime.Activation.RELU,
        "b", org.gradc.runtime.Activation.SIGMOID, "c", org.gradc.runtime.Activation.IDENTITY),
        denseLayers(plan));
    for (Kernel.Product p : kernels(plan.train(), Kernel.Product.class)) {
      if (p.epilogue().isPresent()) {
        Kernel.Epilogue e = p.epilogue().get();
        assertTrue(p.gemm().isPresent(), p.toString());
        assertEquals(List.of(p.product().input(0), p.product().input(1), e.bias()), p.reads());
        // neither the product nor the sum has storage of its own
        assertFalse(plan.storage().containsKey(p.product()), p.toString());
        assertFalse(e.sum() != p.out() && plan.storage().containsKey(e.sum()), p.toString());
      }
    }
    // d (4 columns) is below the kernel's size: a loop nest and an elementwise kernel
    assertTrue(kernels(plan.predict(), Kernel.Elementwise.class).stream()
        .anyMatch(k -> "d".equals(plan.names().get(k.out()))));
  }

  @Test
  void aSumReadTwiceOrAnActivationWithoutEpilogueKeepsItsElementwiseKernel() {
    // z is read by the loss too: the bias is fused, the activation is a kernel of its own
    Plan plan = plan("model E {\n  input x[32]\n  target y[32]\n  param W[32, 32]\n"
        + "  param b[32]\n  z = x @ W + b\n  h = exp(z)\n  output h\n"
        + "  loss mse(h, y) + mse(z, y)\n}\n");
    assertEquals(Map.of("z", org.gradc.runtime.Activation.IDENTITY), denseLayers(plan));
    assertTrue(kernels(plan.predict(), Kernel.Elementwise.class).stream()
        .anyMatch(k -> k.out().is(Fn.EXP)));
  }

  @Test
  void theSwitchPlansDenseLayersAsAProductAndAnElementwiseKernel() {
    String text = "model F {\n  input x[32]\n  target y[16]\n  layer h = dense(x, 16, tanh)\n"
        + "  output h\n  loss mse(h, y)\n}\n";
    assertEquals(Map.of("h", org.gradc.runtime.Activation.TANH), denseLayers(plan(text)));
    System.setProperty(Fusion.DENSE_EPILOGUE, "false");
    try {
      Plan plain = plan(text);
      assertEquals(Map.of(), denseLayers(plain));
      assertTrue(kernels(plain.predict(), Kernel.Elementwise.class).stream()
          .anyMatch(k -> k.out().is(Fn.TANH)));
    } finally {
      System.clearProperty(Fusion.DENSE_EPILOGUE);
    }
  }

  @Test
  void theFilterGradientIsOneGemmOverTheBatchStoredAsTheGradient() {
    Plan plan = plan("model C {\n  input img[1, 8, 8]\n  target y[8]\n"
        + "  layer c = conv2d(img, 8, 3, padding=1)\n  layer f = flatten(c)\n"
        + "  layer o = dense(f, 8)\n  loss mse(o, y)\n}\n");
    Node w = param(plan, "c.W");
    Kernel.Product filter = kernels(plan.train(), Kernel.Product.class).stream()
        .filter(p -> p.out() == plan.gradients().get(w)).findFirst().orElseThrow();
    // (Σ_b Δᵀ · cols) / B: one contraction over the B·64 positions, written as dL/dW [8, 9]
    assertTrue(filter.batchSum() && filter.batchMean() && filter.leftTransposed()
        && filter.outTransposed(), filter.toString());
    Kernel.Gemm g = filter.gemm().orElseThrow();
    assertEquals(List.of(8, 9, 64), List.of(g.m(), g.n(), g.rows()));
    assertTrue(g.aTransposed() && !g.transposed(), g.toString());
    assertEquals(Op.IM2COL, g.b().op());
    assertEquals(new Storage.Arg(Storage.Array.GRAD, 0, 0), plan.storageOf(filter.out()));
    // the windows' transpose is read in place, never stored; reshapes are views of their input
    int views = 0;
    for (Kernel k : plan.train()) {
      assertFalse(k.out().op() == Op.TRANSPOSE && k.out().input(0).op() == Op.IM2COL,
          k.toString());
      assertFalse(k.out().op() == Op.RESHAPE, k.toString());
      for (Node r : k.reads()) {
        if (r.op() == Op.RESHAPE) {
          assertEquals(plan.storageOf(r.input(0)), plan.storageOf(r), r.toString());
          views++;
        }
      }
    }
    assertTrue(views >= 3, plan.train().toString());
  }
}
