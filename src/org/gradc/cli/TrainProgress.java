package org.gradc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

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

  /** The terminal's width (JLine) when there is one, else $COLUMNS, else 100; at least 60. */
  private static int width() {
    int w = 0;
    if (System.console() != null) {
      try (Terminal t = TerminalBuilder.builder().system(true).dumb(true).build()) {
        w = t.getWidth();
      } catch (IOException | RuntimeException e) {
        w = 0;
      }
    }
    if (w <= 0) {
      try {
        w = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100").trim());
      } catch (NumberFormatException e) {
        w = 100;
      }
    }
    return Math.max(60, Math.min(w - 1, 200));
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
