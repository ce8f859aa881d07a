package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --precision f32|f64} on train, predict, eval, gradcheck and emit, and the train block's
 * {@code precision}: the flag wins over the block, a bad value is a one-line usage error.
 */
class PrecisionFlagTest {
  @TempDir
  Path dir;

  private static final String XOR = "examples/xor.grad";
  private static final String DATA = "examples/data/xor.csv";

  @ParameterizedTest
  @ValueSource(strings = {"train", "predict", "eval", "gradcheck", "emit"})
  void aBadValueIsAOneLineUsageError(String command) {
    Cli.Run r = Cli.run(command, XOR, "--precision", "f16");
    assertEquals(2, r.status(), r::toString);
    assertEquals("", r.out());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("gradc: error: ") && r.err().contains("expected f32 or f64, not 'f16'"),
        r.err());
  }

  @Test
  void trainsInFloat32AndSavesFloats() throws IOException {
    Path save = dir.resolve("xor.json");
    Cli.Run r = Cli.run("train", XOR, "--data", DATA, "--quiet", "--precision", "f32", "--save",
        save.toString());
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("train sgd(lr=0.5), batch 4, 5000 epochs, seed 42, precision f32\n"),
        r.out());
    assertTrue(r.out().contains("\naccuracy 100.00% (4/4)\n"), r.out());
    JsonNode w1 = new ObjectMapper().readTree(Files.readString(save)).get("params").get("W1");
    for (JsonNode row : w1) {
      for (JsonNode v : row) {
        assertEquals(Float.toString((float) v.asDouble()), v.asText(), "a float's shortest text");
      }
    }
    Cli.Run p = Cli.run("predict", XOR, "--params", save.toString(), "--data", DATA,
        "--precision", "f32");
    assertEquals(0, p.status(), p::toString);
    assertEquals(5, p.out().lines().count(), p.out());
  }

  @Test
  void theTrainBlockChoosesAndTheFlagOverrides() throws IOException {
    Path f = dir.resolve("xor32.grad");
    Files.writeString(f, Files.readString(Path.of(XOR)).replace("train {", "train {\n    precision f32"));
    Cli.Run block = Cli.run("train", f.toString(), "--data", DATA, "--quiet", "--epochs", "3");
    assertEquals(0, block.status(), block::toString);
    assertTrue(block.out().contains(", precision f32\n"), block.out());
    Cli.Run flag = Cli.run("train", f.toString(), "--data", DATA, "--quiet", "--epochs", "3",
        "--precision", "f64");
    assertEquals(0, flag.status(), flag::toString);
    assertFalse(flag.out().contains("precision"), flag.out());
  }

  @Test
  void emitWritesFloatCodeAndEvalAndGradcheckStayF64ByDefault() throws IOException {
    Cli.Run emit = Cli.run("emit", XOR, "--precision", "f32");
    assertEquals(0, emit.status(), emit::toString);
    assertTrue(emit.out().contains("implements GeneratedFloatModel"), emit.out());
    assertTrue(emit.out().contains("float[] theta"), emit.out());
    Path f = dir.resolve("xor32.grad");
    Files.writeString(f, Files.readString(Path.of(XOR)).replace("train {", "train {\n    precision f32"));
    assertTrue(Cli.run("emit", f.toString()).out().contains("implements GeneratedModel"));
    Path values = dir.resolve("v.json");
    Files.writeString(values, "{\"batch\": {\"x\": [[0.1, 0.7]], \"y\": [[1]]}}");
    Cli.Run d = Cli.run("eval", f.toString(), "--values", values.toString());
    Cli.Run s = Cli.run("eval", f.toString(), "--values", values.toString(), "--precision", "f32");
    assertEquals(0, d.status(), d::toString);
    assertEquals(0, s.status(), s::toString);
    double l64 = new ObjectMapper().readTree(d.out()).get("loss").asDouble();
    JsonNode loss32 = new ObjectMapper().readTree(s.out()).get("loss");
    assertEquals(Float.toString((float) loss32.asDouble()), loss32.asText(), "an f32 loss");
    assertTrue(Math.abs(loss32.asDouble() - l64) < 1e-6 * Math.max(1, l64), d.out() + s.out());
    Cli.Run g = Cli.run("gradcheck", XOR, "--precision", "f32");
    assertEquals(0, g.status(), g::toString);
    assertTrue(g.out().contains(", precision f32, loss "), g.out());
    assertTrue(g.out().contains("tolerance 1.0e-04"), g.out());
  }
}
