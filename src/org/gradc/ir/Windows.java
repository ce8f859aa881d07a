package org.gradc.ir;

/**
 * The reference arithmetic of the {@link Op.Kind#WINDOW} ops on one example, written for clarity
 * rather than speed (generated code has its own loops): sums run in the order of the indices.
 */
final class Windows {
  private Windows() {}

  /**
   * Writes one example of {@code op} over {@code w} into {@code out} from {@code oo}: the first
   * input at {@code x[xo…]}, the second (MAX_POOL's h, MAX_UNPOOL's g) at {@code y[yo…]}.
   */
  static void apply(Op op, Window w, double[] x, int xo, double[] y, int yo, double[] out, int oo) {
    int k = w.kernel();
    int ow = w.outWidth();
    int ckk = w.channels() * k * k;
    int image = w.height() * w.width();
    int pooled = w.positions();
    int outSize = switch (op) {
      case IM2COL -> pooled * ckk;
      case MAX_POOL, AVG_POOL -> w.channels() * pooled;
      default -> w.channels() * image;
    };
    java.util.Arrays.fill(out, oo, oo + outSize, 0.0);
    for (int c = 0; c < w.channels(); c++) {
      for (int p = 0; p < pooled; p++) {
        int top = (p / ow) * w.stride() - w.padding();
        int left = (p % ow) * w.stride() - w.padding();
        int best = -1;
        for (int t = 0; t < k * k; t++) {
          int r = top + t / k;
          int col = left + t % k;
          boolean inside = r >= 0 && r < w.height() && col >= 0 && col < w.width();
          int pixel = c * image + r * w.width() + col;
          int column = p * ckk + c * k * k + t;
          switch (op) {
            case IM2COL -> out[oo + column] = inside ? x[xo + pixel] : 0.0;
            case COL2IM -> {
              if (inside) {
                out[oo + pixel] += x[xo + column];
              }
            }
            case AVG_POOL -> out[oo + c * pooled + p] += inside ? x[xo + pixel] / (k * k) : 0.0;
            case AVG_UNPOOL -> {
              if (inside) {
                out[oo + pixel] += x[xo + c * pooled + p] / (k * k);
              }
            }
            default -> {
              if (inside && (best < 0 || x[xo + pixel] > x[xo + best])) {
                best = pixel;
              }
            }
          }
        }
        if (op == Op.MAX_POOL) {
          out[oo + c * pooled + p] = y[yo + best];
        } else if (op == Op.MAX_UNPOOL) {
          out[oo + best] += y[yo + c * pooled + p];
        }
      }
    }
  }
}
