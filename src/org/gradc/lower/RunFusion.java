package org.gradc.lower;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gradc.ir.Node;
import org.gradc.ir.Op;

/**
 * The calls of an entry point: consecutive flat elementwise kernels over the same number of
 * elements per example, with batch sums and means of one value per example, run in one loop over
 * the batch ({@link Step.Fused}), so per-kernel loop overhead does not dominate small models; the
 * scalar kernels of those sums that follow (a scalar parameter's gradient, the sum over B) run
 * once after the loop, reading the sums from locals rather than from the workspace. A run ends
 * after {@link #MAX_RUN} kernels, {@link #MAX_RUN_BUFFERS} buffers or
 * {@link Plan#METHOD_BYTES} bytes of estimated code.
 */
final class RunFusion {
  /** The most kernels one fused run holds. */
  static final int MAX_RUN = 16;

  /** The most workspace arrays one fused run takes as parameters (the JVM allows 255 slots). */
  static final int MAX_RUN_BUFFERS = 200;

  private final List<Kernel> kernels;
  private final Map<Node, Storage> storage;
  private final Node objective;
  /** Values some kernel reads through a reshape that views them: they are always stored. */
  private final Set<Node> viewed;
  /** The kernels of the entry point reading each node. */
  private final Map<Node, List<Kernel>> readers = new IdentityHashMap<>();

  private RunFusion(List<Kernel> kernels, Map<Node, Storage> storage, Node objective,
      Set<Node> viewed) {
    this.kernels = kernels;
    this.storage = storage;
    this.objective = objective;
    this.viewed = viewed;
    for (Kernel k : kernels) {
      for (Node r : k.reads()) {
        readers.computeIfAbsent(r, x -> new ArrayList<>()).add(k);
      }
    }
  }

  /** The steps running {@code kernels} (one entry point's, with their loops chosen). */
  static List<Step> steps(List<Kernel> kernels, Map<Node, Storage> storage, Node objective) {
    return steps(kernels, storage, objective, Set.of());
  }

  /** As above, where the values of {@code viewed} are also read through views. */
  static List<Step> steps(List<Kernel> kernels, Map<Node, Storage> storage, Node objective,
      Set<Node> viewed) {
    return new RunFusion(kernels, storage, objective, viewed).steps();
  }

  private List<Step> steps() {
    List<Step> out = new ArrayList<>();
    int i = 0;
    while (i < kernels.size()) {
      int size = flatSize(kernels.get(i));
      int j = size > 0 ? runEnd(i, size) : i + 1;
      if (j - i >= 2) {
        List<Kernel> run = List.copyOf(kernels.subList(i, j));
        int after = (int) run.stream().filter(RunFusion::afterLoop).count();
        out.add(new Step.Fused(run, size, stored(run), after));
      } else {
        j = i + 1;
        out.add(new Step.Single(kernels.get(i)));
      }
      i = j;
    }
    return out;
  }

  /**
   * The end (exclusive) of the longest run from kernel {@code i} of {@code size} elements: loop
   * kernels, then the scalar kernels that read the run's batch sums, computed after the loop.
   */
  private int runEnd(int i, int size) {
    Set<Node> reduced = new HashSet<>();
    Set<Node> buffers = new HashSet<>();
    int bytes = 60 + runBytes(kernels.get(i), buffers);
    int j = i + 1;
    boolean loopDone = false;
    while (j < kernels.size() && j - i < MAX_RUN) {
      Kernel k = kernels.get(j);
      boolean reads = false;
      for (Node r : k.reads()) {
        reads |= reduced.contains(r);
      }
      boolean after = reads && afterLoop(k);
      if (reads != after || loopDone && !after) {
        break;
      }
      Set<Node> more = new HashSet<>(buffers);
      int cost = runBytes(k, more);
      if (bytes + cost > Plan.METHOD_BYTES || more.size() > MAX_RUN_BUFFERS) {
        break;
      }
      if (after) {
        loopDone = true;
        j++;
      } else if (flatSize(k) == size) {
        j++;
      } else if (size == 1 && batchReduction(k)) {
        reduced.add(k.out());
        j++;
      } else {
        break;
      }
      bytes += cost;
      buffers = more;
    }
    return j;
  }

  /**
   * An upper bound of the bytecode one kernel adds to a fused run (its element computed into a
   * local, stored when read elsewhere, or summed), adding the nodes it keeps in buffers to
   * {@code buffers}. Instruction sizes are the largest forms: wide local indices, {@code sipush}
   * offsets, {@code ldc2_w} constants.
   */
  private int runBytes(Kernel k, Set<Node> buffers) {
    int bytes = 30;
    buffers.add(k.out());
    if (k instanceof Kernel.Elementwise ew) {
      Set<Node> fused = ew.fused();
      for (Node n : fused) {
        bytes += 6;
        for (Node in : n.inputs()) {
          if (fused.contains(in)) {
            continue;
          }
          Storage st = storage.get(in);
          if (st instanceof Storage.Inline) {
            bytes += 4;
          } else {
            bytes += 16;
            if (st instanceof Storage.Buffer) {
              buffers.add(in);
            }
          }
        }
      }
    } else {
      bytes += 20;
      buffers.addAll(k.reads());
    }
    return bytes;
  }

  /** The outputs of {@code run} that are also stored. */
  private Set<Node> stored(List<Kernel> run) {
    Set<Node> out = new LinkedHashSet<>();
    for (Kernel k : run) {
      if (readOutside(k.out(), run)) {
        out.add(k.out());
      }
    }
    return out;
  }

  /**
   * Whether a kernel of the entry point outside {@code run}, or the caller (the objective, a
   * gradient or an output in its array), reads n.
   */
  private boolean readOutside(Node n, List<Kernel> run) {
    if (n == objective || viewed.contains(n) || storage.get(n) instanceof Storage.Arg) {
      return true;
    }
    for (Kernel k : readers.getOrDefault(n, List.of())) {
      boolean inRun = false;
      for (Kernel r : run) {
        inRun |= r == k;
      }
      if (!inRun) {
        return true;
      }
    }
    return false;
  }

  /** Elements per example of a flat elementwise kernel (one loop over B * size), else 0. */
  private static int flatSize(Kernel k) {
    if (!(k instanceof Kernel.Elementwise ew) || ew.loop() != Kernel.Elementwise.Loop.FLAT
        || ew.vectorTanh()) {
      return 0;
    }
    return ew.out().shape().size();
  }

  /** A scalar elementwise kernel of unbatched values: once per call, after a run's loop. */
  private static boolean afterLoop(Kernel k) {
    return k instanceof Kernel.Elementwise ew && !ew.out().batched()
        && ew.out().shape().size() == 1;
  }

  /** A batch sum or mean of a value with one element per example, stored in a buffer. */
  private boolean batchReduction(Kernel k) {
    if (!(k instanceof Kernel.Structural st)) {
      return false;
    }
    Node n = st.out();
    return (n.op() == Op.BATCH_SUM || n.op() == Op.BATCH_MEAN) && n.shape().size() == 1
        && n.input(0).batched() && LoopChoices.contiguous(n.input(0), storage);
  }
}
