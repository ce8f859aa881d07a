package org.gradc.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.codehaus.janino.SimpleCompiler;
import org.gradc.Gradc;
import org.gradc.cli.Cli;
import org.gradc.diag.GradcException;
import org.gradc.diag.SourceFile;
import org.gradc.diff.Differentiator;
import org.gradc.diff.GradCheck;
import org.gradc.diff.Gradients;
import org.gradc.ir.Evaluator;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;
import org.gradc.ir.Shape;
import org.gradc.ir.Window;
import org.gradc.lower.Plan;
import org.gradc.lower.Planner;
import org.gradc.runtime.LoadedModel;
import org.gradc.sema.CheckedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images, conv2d, pooling and flatten: hand values, every window op and its adjoint against
 * finite differences on random windows (strides 1 and 2, with and without padding), generated
 * code against the reference evaluator, method sizes, and the checker's messages.
 */
class ConvolutionTest {
  static final String CNN = """
      model Cnn {
        input  img[2, 7, 6]
        target y[3]
        layer  c1 = conv2d(img, 3, 3, stride=2, padding=1, relu)
        layer  c2 = conv2d(c1, 2, 2, tanh)
        layer  c3 = conv2d(img, 2, 3, padding=1)
        layer  p  = maxpool2d(c3, 2)
        layer  q  = avgpool2d(c3, 3, 2)
        layer  f  = flatten(p)
        layer  o  = dense(f, 3)
        output o
        loss   mse(o, y) + mean(c2) + mean(q * q)
      }
      """;

  static CheckedModel model(String text) {
    return Gradc.check(new SourceFile("cnn.grad", text)).models().get(0);
  }

  static double[] of(CheckedModel m, String name, Map<String, double[]> leaves, int batch) {
    for (CheckedModel.Value v : m.intermediates()) {
      if (v.name().equals(name)) {
        return new Evaluator(batch, leaves).value(v.node());
      }
    }
    throw new AssertionError(name);
  }

  @Test
  void convolvesAThreeByThreeImageByHand() {
    double[] image = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    // a Sobel filter: the right column minus the left one, the middle row twice
    double[] sobel = {1, 0, -1, 2, 0, -2, 1, 0, -1};
    Map<String, double[]> v = Map.of("x", image, "c.W", sobel, "c.b", new double[] {0.5});
    // padding 1: out(0, 0) = -2·2 - 1·5 + 0.5; the centre is (1 - 3) + 2 (4 - 6) + (7 - 9) + 0.5
    assertArrayEquals(new double[] {-8.5, -5.5, 9.5, -19.5, -7.5, 20.5, -20.5, -5.5, 21.5},
        of(conv("padding=1"), "c", v, 1), 0);
    assertArrayEquals(new double[] {-8.5, 9.5, -20.5, 21.5},
        of(conv("stride=2, padding=1"), "c", v, 1), 0);
    assertArrayEquals(new double[] {-7.5}, of(conv("stride=1"), "c", v, 1), 0);
  }

  private static CheckedModel conv(String options) {
    return model("model C {\n input x[1, 3, 3]\n layer c = conv2d(x, 1, 3, " + options
        + ")\n loss sum(c)\n}\n");
  }

  @Test
  void poolsByHand() {
    CheckedModel m = model("model P {\n input x[1, 4, 4]\n layer mx = maxpool2d(x, 2)\n"
        + " layer av = avgpool2d(x, 2)\n layer s = maxpool2d(x, 3, 1)\n layer f = flatten(mx)\n"
        + " loss sum(mx) + sum(av) + sum(s) + sum(f)\n}\n");
    double[] x = {1, 5, 2, 0, 3, 4, 8, 8, 0, 0, 1, 2, -1, -3, 4, 3};
    Map<String, double[]> v = Map.of("x", x);
    assertArrayEquals(new double[] {5, 8, 0, 4}, of(m, "mx", v, 1), 0);
    assertArrayEquals(new double[] {13 / 4.0, 18 / 4.0, -4 / 4.0, 10 / 4.0}, of(m, "av", v, 1),
        1e-15);
    assertArrayEquals(new double[] {8, 8, 8, 8}, of(m, "s", v, 1), 0);
    assertArrayEquals(new double[] {5, 8, 0, 4}, of(m, "f", v, 1), 0);
  }

  @Test
  void maxPoolingSendsTheGradientToTheFirstMaximum() {
    GraphBuilder g = new GraphBuilder();
    Node x = g.param("x", Shape.of(1, 2, 2));
    Window w = new Window(1, 2, 2, 2, 2, 0);
    Node loss = g.sum(g.maxPool(x, x, w));
    Gradients grads = Differentiator.differentiate(g.freeze(), loss, List.of(x));
    double[] d = new Evaluator(1, Map.of("x", new double[] {3, 7, 7, 1}))
        .value(grads.gradient(x));
    assertArrayEquals(new double[] {0, 1, 0, 0}, d, 0);
  }

  @Test
  void everyWindowOpAgreesWithFiniteDifferences() {
    Random rnd = new Random(19);
    int checked = 0;
    for (int trial = 0; trial < 24; trial++) {
      int k = 1 + rnd.nextInt(3);
      Window w = new Window(1 + rnd.nextInt(3), k + rnd.nextInt(5), k + rnd.nextInt(4), k,
          1 + trial % 2, trial % 3 == 0 ? 0 : rnd.nextInt(k));
      GraphBuilder g = new GraphBuilder();
      // a batched image x ⊙ u, so each op runs on a batch and its adjoint sums over it
      Node x = g.param("x", w.image());
      Node image = g.mul(x, g.input("u", w.image()));
      Node cols = g.param("cols", w.columns());
      Node h = g.param("h", w.pooled());
      Node pooledImage = g.mul(g.reshape(g.input("v", Shape.of(w.pooled().size())), w.pooled()),
          h);
      List<Node> terms = new ArrayList<>();
      terms.add(g.im2col(image, w));
      terms.add(g.col2im(g.mul(cols, g.input("c", w.columns())), w));
      if (w.padding() == 0) {
        terms.add(g.maxPool(image, image, w));
        terms.add(g.maxUnpool(image, pooledImage, w));
        terms.add(g.maxPool(image, g.sin(image), w));
      }
      terms.add(g.avgPool(image, w));
      terms.add(g.avgUnpool(pooledImage, w));
      Node objective = null;
      for (Node t : terms) {
        Node term = g.sum(g.sin(g.reshape(t, Shape.of(t.shape().size()))));
        objective = objective == null ? term : g.add(objective, term);
      }
      List<Node> params = List.of(x, cols, h);
      Gradients grads = Differentiator.differentiate(g.freeze(), objective, params);
      for (int batch : new int[] {1, 3}) {
        Map<String, double[]> values = GradCheck.randomLeaves(List.of(objective), batch,
            GradCheck.Domain.ANY, rnd);
        assertEquals(List.of(), GradCheck.check(grads, params, batch, values, 1e-6), w.toString());
        checked++;
      }
    }
    assertEquals(48, checked);
  }

  @Test
  void generatedCodeMatchesReferenceAndFiniteDifferences() throws Exception {
    Plan plan = Planner.plan(model(CNN));
    // the filter gradients are read through the windows' transpose both as a GEMM (c1, c3) and,
    // for the small c2, as a loop nest
    List<Boolean> filterGemms = new ArrayList<>();
    for (org.gradc.lower.Kernel k : plan.train()) {
      if (k instanceof org.gradc.lower.Kernel.Product p && p.leftTransposed()
          && p.outTransposed()) {
        filterGemms.add(p.gemm().isPresent());
      }
    }
    assertEquals(List.of(false, true, true), filterGemms.stream().sorted().toList());
    JavaEmitter.Emitted code = JavaEmitter.emit(plan, ModelCompiler.RUNTIME_PACKAGE);
    List<String> big = new ArrayList<>();
    SimpleCompiler janino = new SimpleCompiler();
    janino.setParentClassLoader(org.gradc.runtime.GeneratedModel.class.getClassLoader());
    janino.cook(code.source());
    List<Map<String, byte[]>> compiled = List.of(janino.getBytecodes(),
        Bytecode.javac(Map.of(code.qualifiedName(), code.source())));
    for (Map<String, byte[]> classes : compiled) {
      for (byte[] c : classes.values()) {
        Bytecode.methodSizes(c).forEach((name, size) -> {
          if (size >= LargeModelTest.JIT_LIMIT) {
            big.add(name + ": " + size);
          }
        });
      }
    }
    assertEquals(List.of(), big);
    LoadedModel m = ModelCompiler.compile(plan);
    for (int batch : new int[] {1, 4}) {
      ModelHarness.Point random = ModelHarness.randomPoint(m, batch, -1, 1, 3 + batch);
      assertEquals(List.of(), ModelHarness.compareWithReference(plan, m, random, 1e-12));
      ModelHarness.Point start = new ModelHarness.Point(m.initialParameters(batch),
          random.inputs(), random.targets(), batch);
      assertEquals(List.of(), ModelHarness.compareWithReference(plan, m, start, 1e-12));
      assertEquals(List.of(), ModelHarness.finiteDifferences(m, random, 300, 1e-6, true));
    }
  }

  @Test
  void randomConvolutionsMatchTheReference() throws Exception {
    // random channels, sizes, kernels, strides and padding: the filter gradients run both as one
    // GEMM over the batch and as loop nests, the reshapes are views, and all equal the evaluator
    Random r = new Random(19);
    java.util.Set<Boolean> filterGemms = new java.util.HashSet<>();
    for (int t = 0; t < 6; t++) {
      int h = 4 + r.nextInt(6);
      int w = 4 + r.nextInt(6);
      int k = 1 + r.nextInt(3);
      int s = 1 + r.nextInt(2);
      int p = r.nextInt(k);
      int oh = (h + 2 * p - k) / s + 1;
      int ow = (w + 2 * p - k) / s + 1;
      int k2 = 1 + r.nextInt(Math.min(3, Math.min(oh, ow)));
      String text = "model R {\n  input img[" + (1 + r.nextInt(3)) + ", " + h + ", " + w + "]\n"
          + "  target y[2]\n  layer a = conv2d(img, " + (1 + r.nextInt(12)) + ", " + k
          + ", stride=" + s + ", padding=" + p + ", tanh)\n  layer b = conv2d(a, "
          + (1 + r.nextInt(8)) + ", " + k2 + ", padding=" + r.nextInt(k2) + ")\n"
          + "  layer q = flatten(b)\n  layer o = dense(q, 2)\n  output o\n  loss mse(o, y)\n}\n";
      Plan plan = Planner.plan(model(text));
      for (org.gradc.lower.Kernel kn : plan.train()) {
        if (kn instanceof org.gradc.lower.Kernel.Product pr && pr.leftTransposed()) {
          filterGemms.add(pr.gemm().isPresent());
        }
      }
      LoadedModel m = ModelCompiler.compile(plan);
      for (int batch : new int[] {1, 3}) {
        ModelHarness.Point pt = ModelHarness.randomPoint(m, batch, -1, 1, t * 10L + batch);
        assertEquals(List.of(), ModelHarness.compareWithReference(plan, m, pt, 1e-12), text);
      }
    }
    assertEquals(java.util.Set.of(true, false), filterGemms);
  }

  @Test
  void checkAndGradcheck(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("cnn.grad");
    Files.writeString(file, CNN);
    Cli.Run c = Cli.run("check", file.toString());
    assertEquals(0, c.status(), c.out() + c.err());
    assertTrue(c.out().contains("c1.W [3, 2, 3, 3]  he"), c.out());
    assertTrue(c.out().contains("c3.W [2, 2, 3, 3]  xavier"), c.out());
    assertTrue(c.out().contains("c1 [3, 4, 3]"), c.out());
    assertTrue(c.out().contains("p [2, 3, 3]"), c.out());
    assertTrue(c.out().contains("f [18]"), c.out());
    Cli.Run r = Cli.run("gradcheck", file.toString(), "--seed", "3");
    assertEquals(0, r.status(), r.out() + r.err());
    assertTrue(r.out().contains("ok: worst error"), r.out());
  }

  @Test
  void trainsFromImageColumnsAndPredictsFromSavedFilters(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tiny.grad");
    Files.writeString(file, "model Tiny {\n input img[1, 3, 3]\n target y[2]\n"
        + " layer c = conv2d(img, 2, 2, relu)\n layer f = flatten(c)\n layer o = dense(f, 2)\n"
        + " output o\n loss cross_entropy(o, y)\n}\n");
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        csv.append("img[0][").append(i).append("][").append(j).append("],");
      }
    }
    csv.append("y[0],y[1]\n1,0,0,0,1,0,0,0,1,1,0\n0,0,1,0,1,0,1,0,0,0,1\n");
    Path data = dir.resolve("tiny.csv");
    Files.writeString(data, csv.toString());
    Path params = dir.resolve("p.json");
    Cli.Run t = Cli.run("train", file.toString(), "--data", data.toString(), "--epochs", "3",
        "--save", params.toString(), "--quiet");
    assertEquals(0, t.status(), t.out() + t.err());
    // the filters [2, 1, 2, 2] are saved as nested arrays of that shape
    String saved = Files.readString(params);
    assertTrue(saved.replaceAll("\\s", "").contains("\"c.W\":[[[["), saved);
    Cli.Run p = Cli.run("predict", file.toString(), "--params", params.toString(), "--data",
        data.toString());
    assertEquals(0, p.status(), p.out() + p.err());
    assertEquals(3, p.out().split("\n").length, p.out());
    assertTrue(p.out().startsWith("o[0],o[1]\n"), p.out());
  }

  @Test
  void errors() {
    assertError("layer c = conv2d(v, 2, 3)", "cnn.grad:4:20: error: 'conv2d' needs an image "
        + "[channels, height, width], but 'v' has shape [4]");
    assertError("layer c = conv2d(x, 2, 3, strides=2)",
        "cnn.grad:4:29: error: 'conv2d' has no option 'strides'; expected padding or stride");
    assertError("layer c = conv2d(x, 2, 3, padding=3)",
        "cnn.grad:4:26: error: padding 3 must be less than the kernel 3");
    assertError("layer c = conv2d(x, 2, 9)",
        "cnn.grad:4:26: error: kernel 9 is larger than the padded image [5, 5]");
    assertError("layer c = conv2d(x, 2, 3, stride=0)",
        "cnn.grad:4:36: error: 'stride' must be a positive integer, not '0'");
    assertError("layer c = maxpool2d(x, 2, stride=2)",
        "cnn.grad:4:29: error: 'maxpool2d' has no option 'stride'");
    assertError("layer c = dense(v, 2, padding=1)",
        "cnn.grad:4:25: error: 'dense' has no option 'padding'");
    assertError("layer c = conv2d(x, 2)", "cnn.grad:4:13: error: 'conv2d' takes 3 or 4 arguments");
  }

  private static void assertError(String stmt, String want) {
    String text = "model E {\n  input x[1, 5, 5]\n  input v[4]\n  " + stmt
        + "\n  loss sum(v)\n}\n";
    try {
      Gradc.check(new SourceFile("cnn.grad", text));
    } catch (GradcException e) {
      String got = e.diagnostics().get(0).format();
      assertTrue(got.startsWith(want), got);
      return;
    }
    throw new AssertionError("no error for " + stmt);
  }
}
