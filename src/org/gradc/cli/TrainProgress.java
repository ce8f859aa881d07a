package org.gradc.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.gradc.ir.Numbers;

/**
 * The live progress line of {@code gradc train} on stderr, redrawn in place (a carriage return,
 * at most ten times a second, on the training thread, so the last frame is always complete before
 * the summary). Every frame has the same layout and exactly the terminal's width less one column
 * (so it never wraps):
 *
 * <pre>epoch  12/300 [#######.........]  40% loss 0.123456 val 0.234567 12.3k ex/s</pre>
 *
 * The epoch and the loss (the running mean over the epoch so far, then the epoch's) are always
 * shown; the validation loss when there is validation data
 * ({@code -} until the first); the bar takes what is left, and below 10 cells the throughput gives
 * it room. The throughput counts the time of training steps only, not drawing or validation.
 */
final class TrainProgress implements AutoCloseable {
  private static final long FRAME_NANOS = 100_000_000;
  private static final int MIN_BAR = 10;

  private final PrintWriter err;
  private final int width;
  private final int epochs;
  private final long totalSteps;
  private final boolean validation;
  private long steps;
  private long examples;
  private long trainNanos;
  private long lastExit = System.nanoTime();
  private long lastFrame;
  private int epoch;
  private double loss = Double.NaN;
  private double runningSum;
  private long runningCount;
  private double val = Double.NaN;

  /**
   * @param firstEpoch the epoch training starts at (after a resume, not 1)
   * @param totalSteps the steps of the epochs to run
   */
  TrainProgress(PrintWriter err, int width, int firstEpoch, int epochs, long totalSteps, boolean validation) {
    this.err = err;
    this.width = Math.max(60, width) - 1;
    this.epoch = firstEpoch;
    this.epochs = epochs;
    this.totalSteps = Math.max(1, totalSteps);
    this.validation = validation;
  }

  /** After a training step: its batch size and loss. */
  void step(int epochNumber, int batchSize, double batchLoss) {
    long now = System.nanoTime();
    trainNanos += now - lastExit;
    steps++;
    examples += batchSize;
    if (epochNumber != epoch) {
      runningSum = 0;
      runningCount = 0;
    }
    epoch = epochNumber;
    runningSum += batchLoss * batchSize;
    runningCount += batchSize;
    loss = runningSum / runningCount;
    if (now - lastFrame >= FRAME_NANOS) {
      draw(now);
    }
    lastExit = System.nanoTime();
  }

  /** Before the work done at the end of an epoch (validation): not training time. */
  void endOfSteps() {
    trainNanos += System.nanoTime() - lastExit;
    lastExit = System.nanoTime();
  }

  /** After an epoch: its running-mean loss and the validation loss (NaN without). */
  void epoch(int epochNumber, double runningLoss, double validationLoss) {
    epoch = epochNumber;
    loss = runningLoss;
    val = validationLoss;
    long now = System.nanoTime();
    if (now - lastFrame >= FRAME_NANOS || epochNumber == epochs) {
      draw(now);
    }
    lastExit = System.nanoTime();
  }

  private void draw(long now) {
    lastFrame = now;
    err.print('\r');
    err.print(frame());
    err.flush();
  }

  /**
   * One frame, exactly {@code width} characters: the epoch, the bar, the losses and the
   * throughput; when the bar would have fewer than 10 cells the losses take four significant
   * digits instead of six, then the throughput and then the percentage give way.
   */
  String frame() {
    String e = "epoch " + pad(Integer.toString(epoch), Integer.toString(epochs).length(), true) + "/" + epochs;
    double seconds = trainNanos / 1e9;
    String speed = " " + pad(seconds > 0 ? TrainCommand.rate(examples / seconds) : "-", 6, true) + " ex/s";
    double done = Math.min(1, (double) steps / totalSteps);
    String percent = " " + pad(Integer.toString((int) Math.floor(done * 100)), 3, true) + "%";
    String losses = losses(6, 12);
    int fixed = e.length() + 3;
    if (width - fixed - losses.length() - percent.length() - speed.length() < MIN_BAR) {
      losses = losses(4, 10);
    }
    if (width - fixed - losses.length() - percent.length() - speed.length() < MIN_BAR) {
      speed = "";
    }
    if (width - fixed - losses.length() - percent.length() < MIN_BAR) {
      percent = "";
    }
    int room = width - fixed - losses.length() - percent.length() - speed.length();
    StringBuilder b = new StringBuilder(e);
    if (room >= 1) {
      int filled = (int) Math.floor(done * room);
      b.append(" [").append("#".repeat(filled)).append(".".repeat(room - filled)).append(']').append(percent);
    }
    b.append(losses).append(speed);
    return pad(b.toString(), width, false).substring(0, width);
  }

  /** {@code " loss L val V"}, each number with {@code digits} significant digits in {@code cell}. */
  private String losses(int digits, int cell) {
    String l = " loss " + pad(Numbers.significant(loss, digits), cell, false);
    return validation ? l + " val " + pad(Double.isNaN(val) ? "-" : Numbers.significant(val, digits), cell, false) : l;
  }

  private static String pad(String s, int n, boolean left) {
    String fill = " ".repeat(Math.max(0, n - s.length()));
    return left ? fill + s : s + fill;
  }

  /** Draws the final frame and ends the line. */
  @Override
  public void close() {
    draw(System.nanoTime());
    err.println();
    err.flush();
  }

  /**
   * The terminal's width: {@code $COLUMNS} when set, else what {@code stty size} reports for
   * the controlling terminal, else 80.
   */
  static int terminalWidth() {
    try {
      int w = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "").trim());
      if (w > 0) {
        return w;
      }
    } catch (NumberFormatException e) {
      // not set: ask the terminal
    }
    File tty = new File("/dev/tty");
    if (tty.exists()) {
      try {
        Process p = new ProcessBuilder("stty", "size").redirectInput(tty)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("\\d+ \\d+")) {
          return Integer.parseInt(out.split(" ")[1]);
        }
      } catch (IOException | RuntimeException e) {
        // no stty: the default
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return 80;
  }
}
