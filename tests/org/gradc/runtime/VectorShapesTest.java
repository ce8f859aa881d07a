package org.gradc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels' block shapes of every vector width, whatever this machine's: a child
 * JVM runs the register-block remainder tests of {@link GemmTest}, {@link FloatGemmTest} and the
 * dense layers of {@link FusedGemmTest} with 512-bit vectors forced ({@code gradc.vectorBits};
 * without AVX-512 the Vector API computes them in Java, slowly but with the same arithmetic),
 * and one with 128-bit vectors ({@code -XX:MaxVectorSize=16}, the preferred species then).
 */
class VectorShapesTest {
  /** Run in the child JVM: the kernels' vector width and block shape, then the tests. */
  public static final class Probe {
    private Probe() {}

    public static void main(String[] args) throws Exception {
      System.out.println(Gemm.IMPL.getClass().getSimpleName() + " "
          + Gemm.FLOAT_IMPL.getClass().getSimpleName() + " "
          + VectorGemm.S.vectorBitSize() + " " + VectorFloatGemm.S.vectorBitSize() + " "
          + (VectorBlocks.SIX_BY_FOUR ? "6x4" : "4x3") + " "
          + (VectorFloatBlocks.SIX_BY_FOUR ? "6x4" : "4x3"));
      new GemmTest().everyRemainderOfTheRegisterBlocksGivesThePlainSumsBits();
      new FloatGemmTest().everyRemainderOfTheRegisterBlocksGivesThePlainSumsBits();
      new FusedGemmTest().everyShapeAndActivationGivesTheUnfusedBits();
      System.out.println("passed");
    }
  }

  private static String run(String... jvmArgs) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
    cmd.addAll(List.of(jvmArgs));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(600, TimeUnit.SECONDS), "child JVM did not finish");
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void the512BitBlocksGiveThePlainSumsBits() throws Exception {
    String out = run("-Dgradc.vectorBits=512");
    assertTrue(out.contains("VectorGemm VectorFloatGemm 512 512 6x4 6x4\n"), out);
    assertTrue(out.endsWith("passed\n"), out);
  }

  @Test
  void the128BitBlocksGiveThePlainSumsBits() throws Exception {
    String out = run("-XX:MaxVectorSize=16");
    assertTrue(out.contains("VectorGemm VectorFloatGemm 128 128 4x3 4x3\n"), out);
    assertTrue(out.endsWith("passed\n"), out);
  }
}
