package org.gradc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gradc train --plot} draws its PNG with {@link LossPlot}. */
class LossPlotTest {
  @Test
  void lossPlotIsAPng(@TempDir Path dir) throws IOException {
    Path png = dir.resolve("loss.png");
    LossPlot.write(png, "test", 1, new double[] {1, 0.5, 0.1, 0.01}, new double[] {1.1, 0.6, 0.2, 0.05});
    assertTrue(LossPlot.isPng(png));
    assertTrue(Files.size(png) > 1000);
  }

  @Test
  void theEpochAxisRunsBetweenRoundNumbers() {
    assertEquals(1, LossPlot.niceStep(7));
    assertEquals(20, LossPlot.niceStep(300));
    assertEquals(500, LossPlot.niceStep(5000));
    assertEquals(100, LossPlot.niceStep(800));
  }
}
