package org.gradc.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The live progress bar of {@code gradc train} (me.tongfei:progressbar), drawn on stderr: one
 * tick per step, with the epoch, the running loss, the validation loss when there is one, and
 * the throughput in examples per second.
 */
final class TrainProgress implements AutoCloseable {
  private final ProgressBar bar;
  private final int epochs;
  private final long started = System.nanoTime();
  private long examples;

  TrainProgress(PrintWriter err, int epochs, int stepsPerEpoch) {
    this.epochs = epochs;
    this.bar = new ProgressBarBuilder()
        .setTaskName("train")
        .setInitialMax((long) epochs * stepsPerEpoch)
        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
        .setUpdateIntervalMillis(200)
        .setUnit(" steps", 1)
        .setConsumer(new WriterConsumer(err, width()))
        .build();
  }

  private static int width() {
    try {
      int w = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100").trim());
      return Math.max(60, Math.min(w - 1, 160));
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  void step(int epoch, int batchSize, double loss) {
    examples += batchSize;
    bar.step();
    if (bar.getCurrent() % 16 == 1) {
      message(epoch, loss, Double.NaN);
    }
  }

  void epoch(int epoch, double loss, double validation) {
    message(epoch, loss, validation);
  }

  private void message(int epoch, double loss, double validation) {
    double seconds = (System.nanoTime() - started) / 1e9;
    String speed = seconds > 0 ? TrainCommand.rate(examples / seconds) + " ex/s" : "";
    bar.setExtraMessage("epoch " + epoch + "/" + epochs + " loss " + TrainCommand.num(loss)
        + (Double.isNaN(validation) ? "" : " val " + TrainCommand.num(validation)) + " " + speed);
  }

  @Override
  public void close() {
    bar.close();
  }

  /** Redraws the bar in place on a writer (carriage return, no newline until closed). */
  private static final class WriterConsumer implements ProgressBarConsumer {
    private final PrintWriter out;
    private final int width;

    WriterConsumer(PrintWriter out, int width) {
      this.out = out;
      this.width = width;
    }

    @Override
    public int getMaxRenderedLength() {
      return width;
    }

    @Override
    public void accept(String rendered) {
      out.print('\r');
      out.print(rendered);
      out.flush();
    }

    @Override
    public void close() {
      out.println();
      out.flush();
    }
  }
}
