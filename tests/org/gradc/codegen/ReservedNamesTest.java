package org.gradc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gradc.Gradc;
import org.gradc.diag.SourceFile;
import org.gradc.lower.Plan;
import org.gradc.lower.Planner;
import org.gradc.runtime.LoadedModel;
import org.gradc.sema.CheckedModel;
import org.junit.jupiter.api.Test;

/**
 * Every identifier generated code declares or refers to, used as a parameter, input and
 * intermediate name, is mangled around: the class compiles with Janino and javac and computes
 * what the reference evaluator computes.
 */
class ReservedNamesTest {
  private static final Set<String> DSL_KEYWORDS = Set.of("def", "model", "input", "target",
      "param", "const", "layer", "output", "loss", "train");

  /**
   * A model using most kinds of kernel: a runtime product and vectorized tanh, small products,
   * fused loops, softmax, transpose, indexing, constants, batch reductions.
   */
  private static String core(String extraDecls, String extraLoss) {
    return "model Core {\n"
        + "  input zq_x[8]\n  target zq_y[3]\n"
        + "  param zq_W[8, 64]\n  param zq_V[64, 3]\n  param zq_b[3] = 0.1\n"
        + "  param zq_M[2, 3] = [[1, 2, 3], [4, 5, 6]]\n"
        + "  const zq_k[3] = [0.5, -1, 2]\n"
        + "  zq_h = tanh(zq_x @ zq_W)\n"
        + "  zq_o = zq_h @ zq_V + zq_b * zq_k\n"
        + "  zq_m = zq_M * zq_o\n"
        + "  zq_r = zq_m.T @ (zq_M @ zq_k) + zq_M[1] + relu(zq_o) + sigmoid(zq_o) * softplus(zq_o)\n"
        + extraDecls
        + "  output zq_o\n"
        + "  loss cross_entropy(zq_o, zq_y) + mse(zq_r, zq_y) + sum(zq_M[0] * zq_k)"
        + extraLoss + "\n"
        + "}\n";
  }

  /** Identifiers in generated code (outside comments and strings) that are DSL names. */
  static Set<String> generatedIdentifiers() throws IOException {
    List<String> sources = new ArrayList<>();
    CheckedModel core = Gradc.check(new SourceFile("core.grad", core("", ""))).models().get(0);
    sources.add(ModelCompiler.emit(core, "org.gradc.x").source());
    try (Stream<Path> s = Files.list(GeneratedSamplesTest.DIR)) {
      for (Path p : s.sorted().toList()) {
        sources.add(Files.readString(p));
      }
    }
    Set<String> names = new TreeSet<>(List.of(JavaNames.RESERVED));
    Pattern id = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    for (String src : sources) {
      String code = HostileTextTest.stripComments(src).replaceAll("\"([^\"\\\\]|\\\\.)*\"", " ");
      Matcher m = id.matcher(code);
      while (m.find()) {
        names.add(m.group());
      }
    }
    names.removeAll(DSL_KEYWORDS);
    names.removeIf(n -> n.startsWith("zq_"));
    return names;
  }

  @Test
  void everyGeneratedIdentifierIsUsableAsEveryKindOfName() throws IOException {
    List<String> names = new ArrayList<>(generatedIdentifiers());
    assertTrue(names.size() > 150, names.toString());
    assertTrue(names.containsAll(List.of("PARAMETER_COUNT", "INPUT_WIDTH", "TARGET_WIDTH",
        "OUTPUT_WIDTH", "LAYOUT", "ws", "e", "Gemm", "FastMath", "doubles", "train0",
        "predict0")), names.toString());
    Map<String, String> javacSources = new LinkedHashMap<>();
    for (int rotation = 0; rotation < 3; rotation++) {
      StringBuilder decls = new StringBuilder();
      StringBuilder loss = new StringBuilder();
      StringBuilder total = new StringBuilder();
      for (int i = 0; i < names.size(); i++) {
        String n = names.get(i);
        switch ((i + rotation) % 3) {
          case 0 -> {
            decls.append("  param ").append(n).append("[3] = ").append(0.01 * (i % 7)).append('\n');
            loss.append(" + sum(zq_o * ").append(n).append(")");
          }
          case 1 -> {
            decls.append("  input ").append(n).append("[3]\n");
            loss.append(" + sum(zq_r * ").append(n).append(")");
          }
          default -> {
            decls.append("  ").append(n).append(" = tanh(zq_o * ").append(0.1 * (i % 5))
                .append(") + zq_r\n");
            loss.append(" + sum(").append(n).append(" * ").append(n).append(") * 0.01");
          }
        }
        if (i % 16 == 15 || i == names.size() - 1) {
          // partial sums, so no expression nests deeply
          decls.append("  zq_s").append(i).append(" = 0").append(loss).append('\n');
          total.append(" + zq_s").append(i);
          loss.setLength(0);
        }
      }
      CheckedModel model = Gradc.check(new SourceFile("names.grad",
          core(decls.toString(), total.toString()).replace("model Core", "model Names" + rotation)))
          .models().get(0);
      Plan plan = Planner.plan(model);
      JavaEmitter.Emitted code = JavaEmitter.emit(plan, "org.gradc.names");
      javacSources.put(code.qualifiedName(), code.source());
      LoadedModel m = ModelCompiler.compile(plan);
      ModelHarness.Point pt = ModelHarness.randomPoint(m, 3, -1, 1, rotation);
      assertEquals(List.of(), ModelHarness.compareWithReference(plan, m, pt, 1e-9));
    }
    LargeModelTest.assertMethodsSmall(javacSources);
  }

  @Test
  void everyIdentifierAnElementwiseRowNeedsIsReserved() {
    Set<String> reserved = Set.of(JavaNames.RESERVED);
    for (org.gradc.ir.Fn f : org.gradc.ir.Fn.values()) {
      for (String id : f.reserved()) {
        assertTrue(reserved.contains(id), f + " needs '" + id + "' reserved");
      }
    }
  }
}
