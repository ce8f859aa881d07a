package org.gradc.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gradc.Gradc;
import org.gradc.runtime.CompiledModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Training the generated code and training the reference evaluator from the same parameters
 * give the same parameters: the trainer sees the model only through {@link CompiledModel}.
 */
class ReferenceAgreementTest {
  @ParameterizedTest
  @CsvSource({
      "examples/xor.grad, examples/data/xor.csv, 3",
      "examples/iris.grad, examples/data/iris.csv, 16",
      "examples/spirals.grad, examples/data/spirals.csv, 7",
      "examples/seeds/linear.grad, , 3"})
  void sameTrainingOnGeneratedCodeAndReferenceEvaluator(String grad, String csv, int batch)
      throws IOException, DataException {
    String source = Files.readString(Path.of(grad));
    CompiledModel generated = Gradc.compile(source);
    CompiledModel reference = ReferenceModel.of(source);
    assertEquals(reference.parameters(), generated.parameters());
    DataSet d = csv == null
        ? DataSet.parseCsv("linear.csv", "x,y\n2,4\n1,3\n-1,0.5\n3,5\n0.5,1\n", generated,
            DataSet.Targets.REQUIRED, false)
        : Models.data(csv, generated);
    double[] a = generated.initialParameters(5);
    double[] b = a.clone();
    Trainer t = Trainer.of(generated, Optimizer.adam(0.01)).batchSize(batch).epochs(3).seed(11)
        .clip(1).weightDecay(1e-3);
    TrainResult ra = t.fit(a, d.inputs(), d.targets(), d.examples());
    TrainResult rb = Trainer.of(reference, Optimizer.adam(0.01)).batchSize(batch).epochs(3).seed(11)
        .clip(1).weightDecay(1e-3).fit(b, d.inputs(), d.targets(), d.examples());
    assertArrayEquals(b, a, 1e-9);
    assertArrayEquals(rb.epochLosses(), ra.epochLosses(), 1e-9);
    assertArrayEquals(reference.predict(b, d.inputs(), d.examples()),
        t.predict(a, d.inputs(), d.examples()), 1e-9);
  }
}
