package org.gradc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.gradc.Gradc;
import org.junit.jupiter.api.Test;

/**
 * The checked-in {@code generated-samples/} are exactly what the code generator emits for every
 * example model today. After an intended change, regenerate them with
 * {@code sh generated-samples/regenerate.sh} (or run this test with
 * {@code -Dgradc.updateGoldens=true}).
 */
class GeneratedSamplesTest {
  static final Path DIR = Path.of("generated-samples/org/gradc/samples");
  static final String PACKAGE = "org.gradc.samples";

  static List<Path> exampleFiles() {
    return org.gradc.Examples.files();
  }

  @Test
  void samplesMatchTheGeneratorByteForByte() throws IOException {
    boolean update = Boolean.getBoolean("gradc.updateGoldens");
    TreeSet<String> expected = new TreeSet<>();
    List<String> stale = new ArrayList<>();
    for (Path file : exampleFiles()) {
      // through the façade, as gradc emit writes them: in the story's names
      org.gradc.Model.JavaSource code = Gradc.load(Gradc.read(file)).models().get(0).java(PACKAGE);
      Path sample = DIR.resolve(code.className() + ".java");
      expected.add(sample.getFileName().toString());
      if (update) {
        Files.createDirectories(DIR);
        Files.writeString(sample, code.source(), StandardCharsets.UTF_8);
        continue;
      }
      String have = Files.exists(sample) ? Files.readString(sample, StandardCharsets.UTF_8) : "";
      if (!have.equals(code.source())) {
        stale.add(sample + " (from " + file + ")");
      }
    }
    TreeSet<String> present = new TreeSet<>();
    try (Stream<Path> s = Files.list(DIR)) {
      s.forEach(p -> present.add(p.getFileName().toString()));
    }
    present.removeAll(expected);
    assertEquals(List.of(), stale,
        "generated samples differ; run sh generated-samples/regenerate.sh");
    assertEquals(new TreeSet<String>(), present, "samples without an example model");
  }
}
