package org.gradc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.LongStream;
import org.gradc.Gradc;
import org.gradc.diag.SourceFile;
import org.gradc.lower.Plan;
import org.gradc.lower.Planner;
import org.gradc.runtime.LoadedModel;
import org.gradc.sema.CheckedModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Randomly composed models: generated code = reference evaluator = finite differences. */
class RandomModelsTest {
  static LongStream seeds() {
    return LongStream.range(1, 41);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void generatedCodeAgreesOnRandomModel(long seed) {
    String text = RandomModels.model(seed);
    CheckedModel model = Gradc.check(new SourceFile("random" + seed + ".grad", text)).models()
        .get(0);
    Plan plan = Planner.plan(model);
    LoadedModel m = ModelCompiler.compile(plan);
    for (int batch : new int[] {1, 4}) {
      ModelHarness.Point pt = ModelHarness.randomPoint(m, batch, -1, 1, seed * 31 + batch);
      double[] grad = new double[m.parameterCount()];
      double loss = m.lossAndGradient(pt.theta(), pt.inputs(), pt.targets(), batch, grad);
      assertTrue(Double.isFinite(loss), text);
      assertEquals(List.of(), ModelHarness.compareWithReference(plan, m, pt, 1e-12), text);
      assertEquals(List.of(), ModelHarness.finiteDifferences(m, pt, 400, 1e-6), text);
    }
  }
}
