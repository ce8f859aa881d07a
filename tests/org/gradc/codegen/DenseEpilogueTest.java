package org.gradc.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.gradc.Gradc;
import org.gradc.diag.SourceFile;
import org.gradc.lower.Kernel;
import org.gradc.lower.Plan;
import org.gradc.lower.Planner;
import org.gradc.runtime.Activation;
import org.gradc.runtime.LoadedModel;
import org.gradc.runtime.Precision;
import org.gradc.sema.CheckedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dense layers fused into the product kernel's epilogue: every example, random model and dense
 * model here gives the same bits fused as planned without the fusion
 * ({@code -Dgradc.denseEpilogue=false}), in f64 and f32, for batches below, at and across the
 * kernel's 64-row panels; the fused gradients agree with finite differences and the reference
 * evaluator.
 */
class DenseEpilogueTest {
  /** Every activation, both weight layouts, widths around the vector lengths. */
  private static final String DENSE = """
      model Dense {
        input  x[24]
        target y[3]
        layer a = dense(x, 40, sigmoid)
        layer b = dense(a, 33, tanh)
        layer c = dense(b, 17, relu)
        layer d = dense(c, 32)
        param W[24, 32]
        param v[24]
        e = tanh(W @ d + v)
        param U[3, 24]
        out = U @ e
        output out
        output d
        loss mse(out, y)
      }
      """;

  static Stream<Path> examples() {
    return org.gradc.Examples.files().stream();
  }

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 40);
  }

  @ParameterizedTest
  @MethodSource("examples")
  void examplesGiveTheUnfusedBits(Path file) throws IOException {
    for (CheckedModel model : Gradc.check(Gradc.read(file)).models()) {
      sameBits(model, file.toString());
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomModelsGiveTheUnfusedBits(long seed) {
    RandomModels.File file = RandomModels.file(seed);
    for (CheckedModel model : checked(file.text()).models()) {
      sameBits(model, file.text());
    }
  }

  @Test
  void everyActivationAndLayoutIsFusedWithTheUnfusedBits() {
    CheckedModel model = checked(DENSE).models().get(0);
    Plan plan = Planner.plan(model);
    List<Activation> acts = new ArrayList<>();
    for (Kernel k : plan.predict()) {
      if (k instanceof Kernel.Product p && p.epilogue().isPresent()) {
        acts.add(p.epilogue().get().activation());
        assertTrue(p.gemm().isPresent(), "a dense layer runs on the kernel: " + p);
      }
    }
    assertEquals(List.of(Activation.SIGMOID, Activation.TANH, Activation.RELU,
        Activation.IDENTITY, Activation.TANH), acts);
    String java = JavaEmitter.emit(plan, "p").source();
    assertTrue(java.contains("sigmoid(x @ a.W + a.b)   (a dense layer"), java);
    assertTrue(java.contains("Gemm.mulTransposed(B, 24, 32,"), java);
    sameBits(model, DENSE);
  }

  @Test
  void fusedGradientsAgreeWithDifferencesAndTheReference() {
    CheckedModel model = checked(DENSE).models().get(0);
    Plan plan = Planner.plan(model);
    LoadedModel m = ModelCompiler.compile(plan);
    for (int batch : new int[] {1, 5, 70}) {
      ModelHarness.Point pt = ModelHarness.randomPoint(m, batch, -1, 1, 40 + batch);
      assertEquals(List.of(), ModelHarness.compareWithReference(plan, m, pt, 1e-12),
          "batch " + batch);
      // relu's kink: a difference quotient that changes with the step is not counted
      assertEquals(List.of(), ModelHarness.finiteDifferences(m, pt, 300, 1e-6, true),
          "batch " + batch);
    }
  }

  private static org.gradc.sema.CheckedProgram checked(String text) {
    return Gradc.check(new SourceFile("dense.grad", text));
  }

  /** Loss, gradient and predictions of the fused and the unfused plan, f64 and f32: equal bits. */
  private static void sameBits(CheckedModel model, String what) {
    Plan fusedPlan = Planner.plan(model);
    Plan unfusedPlan = unfused(() -> Planner.plan(model));
    for (Precision p : Precision.values()) {
      LoadedModel fused = ModelCompiler.compile(fusedPlan, Derivation.NONE, p);
      LoadedModel plain = ModelCompiler.compile(unfusedPlan, Derivation.NONE, p);
      for (int batch : new int[] {1, 3, 64, 130}) {
        ModelHarness.Point pt = ModelHarness.randomPoint(plain, batch, -1, 1, 17 + batch);
        String at = what + "\n" + model.name() + " " + p + " batch " + batch;
        double[] g1 = new double[plain.parameterCount()];
        double[] g2 = new double[plain.parameterCount()];
        double l1 = plain.lossAndGradient(pt.theta(), pt.inputs(), pt.targets(), batch, g1);
        double l2 = fused.lossAndGradient(pt.theta(), pt.inputs(), pt.targets(), batch, g2);
        assertEquals(Double.doubleToRawLongBits(l1), Double.doubleToRawLongBits(l2), at);
        assertArrayEquals(g1, g2, at);
        if (plain.outputWidth() > 0) {
          assertArrayEquals(plain.predict(pt.theta(), pt.inputs(), pt.targets(), batch),
              fused.predict(pt.theta(), pt.inputs(), pt.targets(), batch), at);
        }
      }
    }
  }

  /** What {@code planning} gives with the fusion switched off. */
  private static Plan unfused(Supplier<Plan> planning) {
    String key = "gradc.denseEpilogue";
    System.setProperty(key, "false");
    try {
      return planning.get();
    } finally {
      System.clearProperty(key);
    }
  }
}
