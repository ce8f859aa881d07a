package org.gradc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** README's Java API example is the embedding example that CI compiles and runs, verbatim. */
class ReadmeTest {
  @Test
  void theJavaApiExampleIsTheCompiledOne() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    String example = Files.readString(
        Path.of("examples/embedding/src/main/java/org/gradc/example/EmbeddedXor.java"));
    assertTrue(readme.contains("```java\n" + example + "```\n"),
        "README's Java API section must show examples/embedding's EmbeddedXor.java as it is");
  }
}
