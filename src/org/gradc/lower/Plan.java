package org.gradc.lower;

import java.util.List;
import java.util.Map;
import org.gradc.ir.Node;
import org.gradc.runtime.LoadedModel;

/**
 * The schedule of one model: which values are stored where, and the ordered kernels of the two
 * entry points (loss and gradient; predict). Kernels are shared between the entry points: a
 * forward kernel needed by both appears in both lists.
 *
 * @param model what the generated class says about its model: name, file, declaration, layout
 * @param params parameter slots in theta, in declaration order
 * @param inputs input slots within one example of the input batch
 * @param targets target slots within one example of the target batch
 * @param outputs output slots within one example of the predictions; nodes are simplified
 * @param objective the batch-mean loss (an unbatched scalar), simplified
 * @param gradients for each parameter node, the simplified node of its gradient
 * @param train kernels of lossAndGradient in execution order, ending with gradient copies
 * @param predict kernels of predict in execution order, ending with output copies
 * @param trainSteps the calls of lossAndGradient: its kernels, alone or in fused runs
 * @param predictSteps the calls of predict: its kernels, alone or in fused runs
 * @param storage where each value that kernels read or write lives
 * @param buffers workspace arrays
 * @param scratchSize elements of the workspace array after the buffers that holds the
 *     transposed weights of GEMM calls ({@link Kernel.Gemm#transposed()}); 0 when none needs it
 * @param constants CONST nodes, held in static arrays of the generated class
 * @param provenance the DSL statement each node comes from, where known
 * @param names readable names of values: DSL names of intermediates and outputs, {@code d_NAME}
 *     for the adjoint of a named value and the gradient of a parameter
 */
public record Plan(Model model, List<Slot> params, List<Slot> inputs, List<Slot> targets,
    List<Slot> outputs, Node objective, Map<Node, Node> gradients, List<Kernel> train,
    List<Kernel> predict, List<Step> trainSteps, List<Step> predictSteps,
    Map<Node, Storage> storage, List<BufferSpec> buffers, int scratchSize, List<Node> constants,
    Map<Node, Provenance> provenance, Map<Node, String> names) {
  /**
   * Bytecode budget of a generated method that calls kernels or computes a fused run: half of
   * HotSpot's 8,000-byte JIT limit, measured with upper bounds of every instruction's size.
   */
  public static final int METHOD_BYTES = 4000;

  /**
   * The model a plan was made from, as far as the generated class needs it.
   *
   * @param name the model's name
   * @param file the source file's name without its directories
   * @param declaration the model's declaration as written, from {@code model} to its brace
   * @param layout the model's vectors, initializers and train defaults
   */
  public record Model(String name, String file, String declaration, LoadedModel.Layout layout) {}

  /** A named tensor in a flat exchange vector. */
  public record Slot(String name, Node node, int offset) {
    public int size() {
      return node.shape().size();
    }
  }

  /**
   * A workspace array holding the values of {@code nodes} (more than one when liveness allows
   * reuse): {@code size} elements per example, times the batch size when {@code batched}.
   */
  public record BufferSpec(int index, List<Node> nodes, int size, boolean batched) {
    public BufferSpec {
      nodes = List.copyOf(nodes);
    }
  }

  /**
   * The DSL statement a node was derived from: the forward computation of the statement, or
   * (when {@code gradient}) a chain-rule step backwards through it.
   */
  public record Provenance(String file, int line, String text, boolean gradient) {
    /** {@code xor.grad:12  h = sigmoid(x @ W1 + b1)}, prefixed by "grad of " for backward steps. */
    public String describe() {
      return (gradient ? "grad of " : "") + file + ":" + line + "  " + text;
    }
  }

  public Storage storageOf(Node n) {
    Storage s = storage.get(n);
    if (s == null) {
      throw new IllegalStateException("no storage for " + n);
    }
    return s;
  }

  public int parameterCount() {
    return width(params);
  }

  public int inputWidth() {
    return width(inputs);
  }

  public int targetWidth() {
    return width(targets);
  }

  public int outputWidth() {
    return width(outputs);
  }

  private static int width(List<Slot> slots) {
    return slots.stream().mapToInt(Slot::size).sum();
  }
}
