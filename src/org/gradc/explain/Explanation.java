package org.gradc.explain;

import java.util.List;
import java.util.Map;
import org.gradc.ir.Node;
import org.gradc.ir.Shape;

/**
 * The backpropagation story of one model, ready to print: sections of steps, each an equation in
 * Unicode and LaTeX with, when values were given, its numbers.
 *
 * @param model the model's name
 * @param file the source file's name
 * @param batchSize examples in the given batch, or 0 without values
 * @param example the example whose numbers the steps show (counted from 0)
 * @param sections forward pass, loss, error signals, gradients, in that order
 * @param cost operation counts of the forward and backward graphs
 * @param column the model writes column vectors ({@code W @ x}), and so does the story
 * @param inlined the error signals of named values that the steps write inline
 *     ({@code ∂loss/∂h} inside {@code δ1}), for views that show every value (generated code)
 * @param signals for a node v of the model's graph, the story's name of its error signal
 *     ∂loss/∂v ({@code δ2} for {@code z2}), for views that draw the forward graph
 * @param convolutions the model convolves (its story writes ⋆, so the notation line says what
 *     it means)
 */
public record Explanation(String model, String file, int batchSize, int example,
    List<Section> sections, Cost cost, boolean column, List<Step> inlined,
    Map<Node, String> signals, boolean convolutions) {
  public Explanation {
    sections = List.copyOf(sections);
    inlined = List.copyOf(inlined);
    signals = Map.copyOf(signals);
  }

  /** A titled group of steps. */
  public record Section(String title, String intro, List<Step> steps) {
    public Section {
      steps = List.copyOf(steps);
    }
  }

  /**
   * One equation {@code name = expression}.
   *
   * @param name the left-hand side (Unicode)
   * @param texName the left-hand side (LaTeX)
   * @param text the right-hand side (Unicode)
   * @param tex the right-hand side (LaTeX)
   * @param node the graph node the step defines (its numbers come from it)
   * @param value its value for the chosen example (batched) or as a whole, or null without values
   * @param note a short remark, or empty
   * @param where auxiliary definitions used by the expression ({@code σ'(z1) = h ⊙ (1 − h)})
   * @param modelName the name is the model's own (not one the story gives, such as {@code z1})
   */
  public record Step(String name, String texName, String text, String tex, Node node,
      double[] value, String note, List<Step> where, boolean modelName) {
    public Step {
      where = List.copyOf(where);
    }

    public Shape shape() {
      return node.shape();
    }
  }

  /**
   * Operation counts for one example: a multiply-add of a matrix or outer product, and each
   * elementwise or reduction step on one element, count as one operation; unbatched work (on
   * parameters alone) is counted once.
   */
  public record Cost(long forward, long backward) {
    public double ratio() {
      return forward == 0 ? 0 : (double) backward / forward;
    }
  }
}
