package org.gradc.ir;

/**
 * The sliding windows of a convolution or pooling over a per-example image {@code [C, H, W]}:
 * square windows of side {@code kernel}, moved by {@code stride}, over the image padded with
 * {@code padding} zeros on every side, as {@code torch.nn.Conv2d} and {@code MaxPool2d} count
 * them. Output position {@code p = oy · outWidth() + ox} covers rows {@code oy·stride - padding}
 * onwards and columns {@code ox·stride - padding} onwards.
 *
 * @param channels C
 * @param height H
 * @param width W
 * @param kernel the window's side K
 * @param stride the step between windows
 * @param padding zeros added on each side
 */
public record Window(int channels, int height, int width, int kernel, int stride, int padding) {
  public Window {
    if (channels < 1 || height < 1 || width < 1 || kernel < 1 || stride < 1 || padding < 0) {
      throw new ShapeException("window " + kernel + " with stride " + stride + " and padding "
          + padding + " over [" + channels + ", " + height + ", " + width + "] is not valid");
    }
    if (padding >= kernel) {
      // every window then still covers at least one pixel of the image
      throw new ShapeException("padding " + padding + " must be less than the kernel " + kernel);
    }
    if (height + 2 * padding < kernel || width + 2 * padding < kernel) {
      throw new ShapeException("kernel " + kernel + " is larger than the padded image ["
          + (height + 2 * padding) + ", " + (width + 2 * padding) + "]");
    }
  }

  /** Rows of the output: {@code (H + 2·padding - K) / stride + 1}. */
  public int outHeight() {
    return (height + 2 * padding - kernel) / stride + 1;
  }

  /** Columns of the output. */
  public int outWidth() {
    return (width + 2 * padding - kernel) / stride + 1;
  }

  /** Output positions P = outHeight · outWidth. */
  public int positions() {
    return outHeight() * outWidth();
  }

  /** The image's shape [C, H, W]. */
  public Shape image() {
    return Shape.of(channels, height, width);
  }

  /** The pooled shape [C, OH, OW]. */
  public Shape pooled() {
    return Shape.of(channels, outHeight(), outWidth());
  }

  /** The im2col shape [P, C·K·K]. */
  public Shape columns() {
    return Shape.of(positions(), channels * kernel * kernel);
  }
}
