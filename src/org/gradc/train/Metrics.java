package org.gradc.train;

import java.util.OptionalDouble;
import org.gradc.runtime.CompiledModel;

/**
 * Accuracy for classification data, decided from the targets alone:
 *
 * <ul>
 *   <li>one-hot targets (width &gt; 1, every row a single 1 and zeros elsewhere) and an output of
 *       the same width: the example is right when the output's largest element is at the 1;
 *   <li>binary targets (width 1, every value 0 or 1): the output is thresholded at 0.5 when every
 *       prediction lies in [0, 1] (probabilities), otherwise at 0 (logits).
 * </ul>
 *
 * Anything else is not classification and has no accuracy.
 */
public final class Metrics {
  private Metrics() {}

  /**
   * Fraction of examples classified correctly, or empty when the data is not classification.
   * With several outputs, the first {@code targetWidth} values of each output row are compared.
   *
   * @param model the model that made the predictions (only its widths are used)
   * @param predictions the outputs, {@code examples × outputWidth} values row-major, as
   *     {@link CompiledModel#predict} returns them
   * @param targets the targets, {@code examples × targetWidth} values row-major
   * @param examples the number of examples
   * @return the accuracy in [0, 1]; empty when the model has no targets, there are no examples,
   *     the outputs are narrower than the targets, or the targets are neither one-hot nor binary
   */
  public static OptionalDouble accuracy(CompiledModel model, double[] predictions, double[] targets,
      int examples) {
    int tw = model.targetWidth();
    int ow = model.outputWidth();
    if (tw == 0 || examples == 0 || ow < tw) {
      return OptionalDouble.empty();
    }
    // compare the first tw output values (the first output, when its width matches)
    if (tw > 1) {
      if (!oneHot(targets, examples, tw)) {
        return OptionalDouble.empty();
      }
      int right = 0;
      for (int e = 0; e < examples; e++) {
        if (argmax(predictions, e * ow, tw) == argmax(targets, e * tw, tw)) {
          right++;
        }
      }
      return OptionalDouble.of((double) right / examples);
    }
    boolean probabilities = true;
    for (int e = 0; e < examples; e++) {
      double t = targets[e];
      if (t != 0 && t != 1) {
        return OptionalDouble.empty();
      }
      double p = predictions[e * ow];
      probabilities &= p >= 0 && p <= 1;
    }
    double threshold = probabilities ? 0.5 : 0;
    int right = 0;
    for (int e = 0; e < examples; e++) {
      boolean positive = predictions[e * ow] >= threshold;
      if (positive == (targets[e] == 1)) {
        right++;
      }
    }
    return OptionalDouble.of((double) right / examples);
  }

  private static boolean oneHot(double[] targets, int examples, int width) {
    for (int e = 0; e < examples; e++) {
      int ones = 0;
      for (int i = 0; i < width; i++) {
        double t = targets[e * width + i];
        if (t == 1) {
          ones++;
        } else if (t != 0) {
          return false;
        }
      }
      if (ones != 1) {
        return false;
      }
    }
    return true;
  }

  /**
   * Index of the largest of {@code len} values from {@code from} (the first on ties).
   *
   * @param v the values
   * @param from the index of the first value to consider
   * @param len how many values to consider
   * @return the position of the largest relative to {@code from}, in {@code [0, len)} (0 when
   *     {@code len} is at most 1)
   */
  public static int argmax(double[] v, int from, int len) {
    int best = 0;
    for (int i = 1; i < len; i++) {
      if (v[from + i] > v[from + best]) {
        best = i;
      }
    }
    return best;
  }
}
