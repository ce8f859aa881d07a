package org.gradc.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.gradc.Gradc;
import org.gradc.Model;
import org.gradc.diag.SourceFile;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.LoadedModel;
import org.gradc.runtime.Precision;
import org.gradc.runtime.TensorSpec;
import org.gradc.train.GradientCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * f32 models against the f64 model on the same values (which are floats, so both start from the
 * same numbers): loss and every gradient within a relative 1e-4, gradients within 1e-3 of central
 * differences of the f64 loss; the generated f32 class compiles with javac with every method
 * under the JIT's limit; the {@code float[]} and {@code double[]} exchanges agree.
 */
class Float32Test {
  static Stream<Path> examples() {
    return org.gradc.Examples.files().stream();
  }

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 40);
  }

  @ParameterizedTest
  @MethodSource("examples")
  void examplesAgreeWithF64(Path file) throws IOException {
    for (Model model : Gradc.load(Gradc.read(file)).models()) {
      check(model, file.toString(), true);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomModelsAgreeWithF64(long seed) {
    RandomModels.File file = RandomModels.file(seed);
    var program = Gradc.load(new SourceFile("random" + seed + ".grad", file.text()));
    for (int i = 0; i < file.models().size(); i++) {
      Model model = program.model(file.models().get(i)).orElseThrow();
      check(model, file.text(), file.smooth().get(i));
    }
  }

  private static void check(Model model, String what, boolean smooth) {
    CompiledModel f64 = model.compile();
    CompiledModel f32 = model.compile(Precision.F32);
    assertEquals(Precision.F32, f32.precision(), what);
    assertEquals(Precision.F64, f64.precision(), what);
    for (int batch : new int[] {1, 3}) {
      ModelHarness.Point pt = floats(ModelHarness.randomPoint((LoadedModel) f64, batch, -1, 1,
          11 + batch), f64.initialParameters(batch));
      double[] g64 = new double[f64.parameterCount()];
      double[] g32 = new double[f32.parameterCount()];
      double l64 = f64.lossAndGradient(pt.theta(), pt.inputs(), pt.targets(), batch, g64);
      double l32 = f32.lossAndGradient(pt.theta(), pt.inputs(), pt.targets(), batch, g32);
      String at = what + "\nmodel " + model.name() + ", batch " + batch;
      assertEquals((float) l32, l32, at + ": the f32 loss is a float");
      assertTrue(Math.abs(l32 - l64) <= 1e-4 * Math.max(1, Math.abs(l64)),
          at + ": loss " + l32 + " vs " + l64);
      List<String> failures = new ArrayList<>();
      for (TensorSpec p : f64.parameters()) {
        double scale = 1e-3;
        for (int j = 0; j < p.size(); j++) {
          scale = Math.max(scale, Math.abs(g64[p.offset() + j]));
        }
        for (int j = 0; j < p.size(); j++) {
          int k = p.offset() + j;
          if (Math.abs(g32[k] - g64[k]) > 1e-4 * scale) {
            failures.add("d/d" + p.name() + "[" + j + "]: f32 " + g32[k] + ", f64 " + g64[k]);
          }
          assertEquals((float) g32[k], g32[k], at + ": gradients are floats");
        }
      }
      if (smooth) {
        failures.addAll(againstDifferences(f64, f32, pt, g32));
      }
      assertEquals(List.of(), failures, at);
      double[] p64 = f64.predict(pt.theta(), pt.inputs(), pt.targets(), batch);
      double[] p32 = f32.predict(pt.theta(), pt.inputs(), pt.targets(), batch);
      for (int j = 0; j < p64.length; j++) {
        assertTrue(Math.abs(p32[j] - p64[j]) <= 1e-4 * Math.max(1, Math.abs(p64[j])),
            at + ": output " + j + " " + p32[j] + " vs " + p64[j]);
      }
    }
  }

  /** The f32 gradient against central differences of the f64 loss, on up to 50 coordinates. */
  private static List<String> againstDifferences(CompiledModel f64, CompiledModel f32,
      ModelHarness.Point pt, double[] g32) {
    List<String> failures = new ArrayList<>();
    double[] scratch = new double[f64.parameterCount()];
    GradientCheck.Loss loss = th -> f64.lossAndGradient(th, pt.inputs(), pt.targets(),
        pt.batch(), scratch);
    double[] theta = pt.theta().clone();
    int stride = Math.max(1, theta.length / 50);
    double scale = 1e-3;
    for (double g : g32) {
      scale = Math.max(scale, Math.abs(g));
    }
    for (int i = 0; i < theta.length; i += stride) {
      double numeric = GradientCheck.centralDifference(loss, theta, i,
          GradientCheck.step(theta[i]));
      if (Math.abs(numeric - g32[i]) > 1e-3 * scale) {
        failures.add("theta[" + i + "]: f32 " + g32[i] + ", central difference " + numeric);
      }
    }
    return failures;
  }

  /** The point's values rounded to float, with {@code theta} as the parameters. */
  private static ModelHarness.Point floats(ModelHarness.Point pt, double[] theta) {
    return new ModelHarness.Point(rounded(theta), rounded(pt.inputs()), rounded(pt.targets()),
        pt.batch());
  }

  private static double[] rounded(double[] a) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = (float) a[i];
    }
    return r;
  }

  @Test
  void floatAndDoubleExchangesGiveTheSameBits() throws IOException {
    Model model = Gradc.load(Gradc.read(Path.of("examples/mlp.grad"))).models().get(0);
    CompiledModel m = model.compile(Precision.F32);
    ModelHarness.Point pt = floats(ModelHarness.randomPoint((LoadedModel) m, 5, -1, 1, 3),
        m.initialParameters(3));
    double[] g = new double[m.parameterCount()];
    double loss = m.lossAndGradient(pt.theta(), pt.inputs(), pt.targets(), 5, g);
    float[] gf = new float[m.parameterCount()];
    float lossF = m.lossAndGradient(narrow(pt.theta()), narrow(pt.inputs()),
        narrow(pt.targets()), 5, gf);
    assertEquals((float) loss, lossF);
    assertArrayEquals(narrow(g), gf);
    assertArrayEquals(narrow(m.predict(pt.theta(), pt.inputs(), pt.targets(), 5)),
        m.predict(narrow(pt.theta()), narrow(pt.inputs()), narrow(pt.targets()), 5));
    // an f64 model takes float arrays too, widened
    CompiledModel d = model.compile();
    float[] gd = new float[d.parameterCount()];
    double[] want = new double[d.parameterCount()];
    float l = d.lossAndGradient(narrow(pt.theta()), narrow(pt.inputs()), narrow(pt.targets()), 5,
        gd);
    assertEquals((float) d.lossAndGradient(pt.theta(), pt.inputs(), pt.targets(), 5, want), l);
    assertArrayEquals(narrow(want), gd);
  }

  private static float[] narrow(double[] a) {
    float[] r = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = (float) a[i];
    }
    return r;
  }

  @ParameterizedTest
  @MethodSource("examples")
  void generatedFloatCodeCompilesWithJavacUnderTheJitLimit(Path file) throws IOException {
    for (Model model : Gradc.load(Gradc.read(file)).models()) {
      Model.JavaSource code = model.java("gen", Precision.F32);
      assertTrue(code.source().contains("implements GeneratedFloatModel"), code.source());
      assertTrue(!code.source().contains("double[]")
          && !java.util.regex.Pattern.compile("(?m)^\\s*double ").matcher(code.source()).find(),
          "no double values in f32 code:\n" + code.source());
      Map<String, byte[]> classes = Bytecode.javac(Map.of("gen." + code.className(),
          code.source()));
      for (Map.Entry<String, byte[]> c : classes.entrySet()) {
        Bytecode.methodSizes(c.getValue()).forEach((method, size) -> assertTrue(
            size < LargeModelTest.JIT_LIMIT, c.getKey() + "." + method + ": " + size));
      }
    }
  }
}
