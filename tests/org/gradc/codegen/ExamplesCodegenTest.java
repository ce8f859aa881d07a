package org.gradc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.gradc.Gradc;
import org.gradc.lower.Plan;
import org.gradc.lower.Planner;
import org.gradc.runtime.LoadedModel;
import org.gradc.sema.CheckedModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example model: generated code = reference evaluator = finite differences. */
class ExamplesCodegenTest {
  static Stream<Path> examples() {
    return org.gradc.Examples.files().stream();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void generatedCodeMatchesReferenceAndFiniteDifferences(Path file) throws IOException {
    for (CheckedModel model : Gradc.check(Gradc.read(file)).models()) {
      Plan plan = Planner.plan(model);
      LoadedModel m = ModelCompiler.compile(plan);
      for (int batch : new int[] {1, 3}) {
        ModelHarness.Point random = ModelHarness.randomPoint(m, batch, -1, 1, 7 + batch);
        // declared initial values keep deep models in a range where differences are accurate
        ModelHarness.Point pt = new ModelHarness.Point(m.initialParameters(batch),
            random.inputs(), random.targets(), batch);
        assertEquals(List.of(), ModelHarness.compareWithReference(plan, m, pt, 1e-12),
            file + " batch " + batch);
        assertEquals(List.of(), ModelHarness.finiteDifferences(m, pt, 200, 1e-6),
            file + " batch " + batch);
      }
    }
  }
}
