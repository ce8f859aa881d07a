package org.gradc.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A learning-rate schedule, applied per optimizer step: step {@code t} (0-based, counted over the
 * whole run, resumed runs included) uses {@code lr · factor(t, T)}, with {@code T} the run's total
 * number of steps (epochs × steps per epoch).
 *
 * <ul>
 *   <li>{@code constant}: factor 1;
 *   <li>{@code step(every = k, gamma = γ)}: {@code γ^⌊t / k⌋}, as {@code torch.optim.lr_scheduler.StepLR(step_size=k,
 *       gamma=γ)} stepped once per optimizer step;
 *   <li>{@code cosine(warmup = w)}: {@code t / w} while {@code t < w}, then
 *       {@code ½·(1 + cos(π·(t − w) / (T − w)))}: linear warmup from 0 and cosine decay to 0, as
 *       {@code transformers.get_cosine_schedule_with_warmup} (with {@code w = 0}, PyTorch's
 *       {@code CosineAnnealingLR(T_max=T, eta_min=0)}).
 * </ul>
 */
public sealed interface Schedule permits Schedule.Constant, Schedule.Step, Schedule.Cosine {
  /** The schedule that keeps the learning rate. */
  Schedule CONSTANT = new Constant();

  /**
   * The factor on the learning rate at a step.
   *
   * @param step the 0-based step of the whole run
   * @param totalSteps the run's number of steps, at least 1
   * @return the factor, in [0, 1] for the built-in schedules with γ ≤ 1
   */
  double factor(long step, long totalSteps);

  /**
   * How it is written in a train block, e.g. {@code step(every=100, gamma=0.5)}.
   *
   * @return the schedule in train-block syntax
   */
  String describe();

  /**
   * The schedule {@code kind} with its options; options left out take their defaults
   * ({@code gamma} 0.1, {@code warmup} 0; {@code every} has none).
   *
   * @param kind {@code constant}, {@code step} or {@code cosine}
   * @param options the options by name
   * @return the schedule
   * @throws IllegalArgumentException for an unknown kind or option, a missing {@code every}, or
   *     a value out of range
   */
  static Schedule of(String kind, Map<String, Double> options) {
    Map<String, Double> o = new LinkedHashMap<>(options);
    Schedule s = switch (kind) {
      case "constant" -> CONSTANT;
      case "step" -> {
        Double every = o.remove("every");
        if (every == null) {
          throw new IllegalArgumentException("step needs every = STEPS, e.g. step(every=100, gamma=0.5)");
        }
        yield new Step(count(every, "every", 1), o.containsKey("gamma") ? o.remove("gamma") : 0.1);
      }
      case "cosine" -> new Cosine(o.containsKey("warmup") ? count(o.remove("warmup"), "warmup", 0) : 0);
      default -> throw new IllegalArgumentException("unknown schedule '" + kind
          + "' (expected constant, step or cosine)");
    };
    if (!o.isEmpty()) {
      throw new IllegalArgumentException("unknown option '" + o.keySet().iterator().next() + "' for "
          + kind + " (" + (kind.equals("step") ? "it takes every and gamma" : kind.equals("cosine")
              ? "it takes warmup" : "it takes none") + ")");
    }
    return s;
  }

  /**
   * Parses the train-block syntax: {@code constant}, {@code step(every=100, gamma=0.5)},
   * {@code cosine(warmup=50)}.
   *
   * @param text the schedule as written
   * @return the schedule
   * @throws IllegalArgumentException when the text is not such a schedule
   */
  static Schedule parse(String text) {
    String t = text.strip();
    int open = t.indexOf('(');
    if (open < 0) {
      return of(t, Map.of());
    }
    if (!t.endsWith(")")) {
      throw new IllegalArgumentException("expected NAME(OPTION=VALUE, …), got '" + t + "'");
    }
    Map<String, Double> options = new LinkedHashMap<>();
    String inside = t.substring(open + 1, t.length() - 1).strip();
    for (String part : inside.isEmpty() ? new String[0] : inside.split(",")) {
      String[] kv = part.split("=", -1);
      if (kv.length != 2 || options.put(kv[0].strip(), number(kv[1].strip(), kv[0].strip())) != null) {
        throw new IllegalArgumentException("expected OPTION=VALUE, each once, got '" + part.strip() + "'");
      }
    }
    return of(t.substring(0, open).strip(), options);
  }

  private static double number(String s, String name) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not '" + s + "'");
    }
  }

  private static long count(double v, String name, long min) {
    if (!(v >= min) || v != Math.rint(v) || v > 1e15) {
      throw new IllegalArgumentException(name + " must be an integer of at least " + min + ", not "
          + org.gradc.ir.Numbers.format(v));
    }
    return (long) v;
  }

  /** The factor 1 at every step. */
  record Constant() implements Schedule {
    public double factor(long step, long totalSteps) {
      return 1;
    }

    public String describe() {
      return "constant";
    }
  }

  /**
   * {@code gamma^⌊step / every⌋}, as {@code StepLR}.
   *
   * @param every the steps between two decays, at least 1
   * @param gamma the decay factor, positive and finite
   */
  record Step(long every, double gamma) implements Schedule {
    /**
     * Checks the options.
     *
     * @param every the steps between two decays, at least 1
     * @param gamma the decay factor, positive and finite
     * @throws IllegalArgumentException when either is out of range
     */
    public Step {
      if (every < 1 || !(gamma > 0) || Double.isInfinite(gamma)) {
        throw new IllegalArgumentException("step needs every ≥ 1 and a positive gamma, got every="
            + every + ", gamma=" + gamma);
      }
    }

    public double factor(long step, long totalSteps) {
      return Math.pow(gamma, step / every);
    }

    public String describe() {
      return "step(every=" + every + ", gamma=" + org.gradc.ir.Numbers.format(gamma) + ")";
    }
  }

  /**
   * Linear warmup over {@code warmup} steps, then cosine decay to 0 at the last step.
   *
   * @param warmup the warmup steps, at least 0
   */
  record Cosine(long warmup) implements Schedule {
    /**
     * Checks the option.
     *
     * @param warmup the warmup steps, at least 0
     * @throws IllegalArgumentException when it is negative
     */
    public Cosine {
      if (warmup < 0) {
        throw new IllegalArgumentException("warmup must not be negative, got " + warmup);
      }
    }

    public double factor(long step, long totalSteps) {
      if (step < warmup) {
        return (double) step / Math.max(1, warmup);
      }
      double progress = (double) (step - warmup) / Math.max(1, totalSteps - warmup);
      return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
    }

    public String describe() {
      return "cosine(warmup=" + warmup + ")";
    }
  }
}
