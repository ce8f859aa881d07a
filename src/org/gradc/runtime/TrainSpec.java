package org.gradc.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The defaults a model's {@code train} block declares; anything absent is decided by the caller
 * (command-line flags or the trainer's own defaults). Printed as the block is written, e.g.
 * {@code train { optimizer sgd(lr=0.5) batch 4 epochs 5000 }}.
 *
 * @param optimizer the optimizer and its options, if the block names one
 * @param batch the batch size, if given
 * @param epochs the number of epochs, if given
 * @param clip the global gradient-norm bound, if given
 * @param weightDecay the L2 weight decay, if given
 * @param seed the shuffling and initialization seed, if given
 * @param schedule the learning-rate schedule and its options ({@code step(every=…, gamma=…)},
 *     {@code cosine(warmup=…)}, {@code constant}), if given; the same record as an optimizer's
 * @param precision the element type to train in ({@code precision f32}), if given
 */
public record TrainSpec(Optional<OptimizerSpec> optimizer, OptionalInt batch, OptionalInt epochs,
    OptionalDouble clip, OptionalDouble weightDecay, OptionalLong seed, Optional<OptimizerSpec> schedule,
    Optional<Precision> precision) {

  /** A model without a {@code train} block. */
  public static final TrainSpec NONE = new TrainSpec(Optional.empty(), OptionalInt.empty(),
      OptionalInt.empty(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalLong.empty());

  /**
   * A train block without a schedule.
   *
   * @param optimizer the optimizer and its options, if the block names one
   * @param batch the batch size, if given
   * @param epochs the number of epochs, if given
   * @param clip the global gradient-norm bound, if given
   * @param weightDecay the L2 weight decay, if given
   * @param seed the shuffling and initialization seed, if given
   */
  public TrainSpec(Optional<OptimizerSpec> optimizer, OptionalInt batch, OptionalInt epochs,
      OptionalDouble clip, OptionalDouble weightDecay, OptionalLong seed) {
    this(optimizer, batch, epochs, clip, weightDecay, seed, Optional.empty(), Optional.empty());
  }

  /**
   * {@code sgd}, {@code momentum} or {@code adam} with every option filled in.
   *
   * @param kind the optimizer's name
   * @param options every option by name, defaults included
   */
  public record OptimizerSpec(String kind, Map<String, Double> options) {
    /**
     * Copies {@code options}.
     *
     * @param kind {@code sgd}, {@code momentum} or {@code adam}
     * @param options every option by name (copied; no null keys or values)
     */
    public OptimizerSpec {
      options = Map.copyOf(options);
    }

    /** e.g. {@code adam(beta1=0.9, beta2=0.999, eps=1e-08, lr=0.01)}, options by name. */
    @Override
    public String toString() {
      List<String> parts = new ArrayList<>();
      new TreeMap<>(options).forEach((k, v) -> parts.add(k + "=" + v));
      return kind + "(" + String.join(", ", parts) + ")";
    }
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    optimizer.ifPresent(o -> parts.add("optimizer " + o));
    batch.ifPresent(b -> parts.add("batch " + b));
    epochs.ifPresent(e -> parts.add("epochs " + e));
    clip.ifPresent(c -> parts.add("clip " + c));
    weightDecay.ifPresent(w -> parts.add("weight_decay " + w));
    seed.ifPresent(s -> parts.add("seed " + s));
    schedule.ifPresent(s -> parts.add("schedule " + s));
    precision.ifPresent(p -> parts.add("precision " + p));
    return parts.isEmpty() ? "train { }" : "train { " + String.join(" ", parts) + " }";
  }
}
