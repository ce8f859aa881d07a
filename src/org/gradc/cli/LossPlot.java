package org.gradc.cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gradc.train.AtomicFile;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The loss curve of a training run as a PNG (XChart): the running mean of the training loss per
 * epoch and, when given, the validation loss per epoch; the epoch axis runs between round numbers. The y axis is logarithmic when every loss is positive and they
 * span more than a factor of 20. Rendered headless; written atomically.
 */
final class LossPlot {
  private LossPlot() {}

  /**
   * @param firstEpoch the epoch of {@code training[0]} (after a resume, not 1)
   * @param validation the validation loss per epoch, or null
   */
  static void write(Path path, String title, int firstEpoch, double[] training, double[] validation)
      throws IOException {
    if (training.length == 0) {
      throw new IllegalArgumentException("no epochs to plot");
    }
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title)
        .xAxisTitle("epoch").yAxisTitle("loss").build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendVisible(validation != null);
    // an axis from a round number to a round number, at least 10 wide, gets integer ticks
    double step = niceStep(Math.max(10, training.length));
    double from = Math.floor((firstEpoch - 1) / step) * step;
    chart.getStyler().setXAxisMin(from);
    chart.getStyler().setXAxisMax(from + Math.ceil((firstEpoch - 1 + training.length - from) / step) * step);
    chart.setCustomXAxisTickLabelsFormatter(x -> String.format(java.util.Locale.ROOT, "%,d", Math.round(x)));
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (double[] series : validation == null ? new double[][] {training} : new double[][] {training, validation}) {
      for (double v : series) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    boolean log = min > 0 && max / min > 20;
    chart.getStyler().setYAxisLogarithmic(log);
    if (!log && max > min) {
      // every loss label with the same number of decimals, enough for a tenth of the range
      int decimals = Math.max(0, (int) Math.ceil(-Math.log10((max - min) / 10)));
      chart.setCustomYAxisTickLabelsFormatter(y -> String.format(java.util.Locale.ROOT, "%." + decimals + "f", y));
    }
    add(chart, "training (running mean)", firstEpoch, training, new Color(0x1f77b4));
    if (validation != null && validation.length > 0) {
      add(chart, "validation", firstEpoch, validation, new Color(0xff7f0e));
    }
    byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    AtomicFile.write(path, png);
  }

  /** A round step of about a tenth of {@code span}: 1, 2 or 5 times a power of ten. */
  static double niceStep(double span) {
    double raw = span / 10;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / magnitude;
    return Math.max(1, (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * magnitude);
  }

  private static void add(XYChart chart, String name, int firstEpoch, double[] losses, Color color) {
    double[] x = new double[losses.length];
    for (int i = 0; i < x.length; i++) {
      // XChart puts the ticks of an evenly spaced series on every k-th point (1, 17, 33, …); a
      // thousandth of an epoch on every other point, invisible, makes it use its round grid
      x[i] = firstEpoch + i + (i % 2) * 1e-3;
    }
    var series = chart.addSeries(name, x, losses);
    series.setMarker(SeriesMarkers.NONE);
    series.setLineColor(color);
  }

  /** Whether a file starts with the PNG signature. */
  static boolean isPng(Path path) throws IOException {
    byte[] b = Files.readAllBytes(path);
    return b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
  }
}
