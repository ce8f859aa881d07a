package org.gradc.sema;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The defaults a model's {@code train} block declares; anything absent is decided by the caller
 * (command-line flags or the trainer's own defaults).
 */
public record TrainSpec(Optional<OptimizerSpec> optimizer, OptionalInt batch, OptionalInt epochs,
    OptionalDouble clip, OptionalDouble weightDecay, OptionalLong seed) {

  public static final TrainSpec NONE = new TrainSpec(Optional.empty(), OptionalInt.empty(),
      OptionalInt.empty(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalLong.empty());

  /** {@code sgd}, {@code momentum} or {@code adam} with every option filled in. */
  public record OptimizerSpec(String kind, Map<String, Double> options) {
    public OptimizerSpec {
      options = Map.copyOf(options);
    }
  }
}
