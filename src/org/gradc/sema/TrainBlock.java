package org.gradc.sema;

import org.gradc.diag.Suggestions;
import org.gradc.runtime.Precision;
import org.gradc.runtime.TrainSpec;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.gradc.ast.Literal;
import org.gradc.ast.Stmt;
import org.gradc.ast.TrainItem;
import org.gradc.diag.Diagnostics;
import org.gradc.diag.Span;

/** Checks a {@code train} block and fills in each optimizer's defaults. */
final class TrainBlock {
  /** Each optimizer's options and their defaults (Keras/PyTorch conventions). */
  private static final Map<String, Map<String, Double>> OPTIMIZERS = Map.of(
      "sgd", ordered("lr", 0.01),
      "momentum", ordered("lr", 0.01, "beta", 0.9),
      "adam", ordered("lr", 0.001, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8));
  /** Each schedule's options and their defaults; NaN: required (torch.optim.lr_scheduler). */
  private static final Map<String, Map<String, Double>> SCHEDULES = Map.of(
      "constant", ordered(),
      "step", ordered("every", Double.NaN, "gamma", 0.1),
      "cosine", ordered("warmup", 0.0));
  private static final List<String> SETTINGS =
      List.of("optimizer", "batch", "epochs", "clip", "weight_decay", "seed", "schedule",
          "precision");

  private final Diagnostics diagnostics;

  TrainBlock(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  TrainSpec check(Stmt.Train block) {
    Optional<TrainSpec.OptimizerSpec> optimizer = Optional.empty();
    OptionalInt batch = OptionalInt.empty();
    OptionalInt epochs = OptionalInt.empty();
    OptionalDouble clip = OptionalDouble.empty();
    OptionalDouble weightDecay = OptionalDouble.empty();
    OptionalLong seed = OptionalLong.empty();
    Optional<TrainSpec.OptimizerSpec> schedule = Optional.empty();
    Optional<Precision> precision = Optional.empty();
    Map<String, Span> seen = new HashMap<>();
    for (TrainItem item : block.items()) {
      String key = item.key().text();
      if (!SETTINGS.contains(key)) {
        diagnostics.error(item.key().span(), "unknown option '" + key + "' in train block; expected "
            + "optimizer, batch, epochs, clip, weight_decay, seed, schedule or precision"
            + Suggestions.didYouMean(key, SETTINGS));
        continue;
      }
      Span earlier = seen.putIfAbsent(key, item.key().span());
      if (earlier != null) {
        diagnostics.error(item.key().span(), "'" + key + "' is already defined on line " + earlier.line());
        continue;
      }
      if (item instanceof TrainItem.Optimizer o && key.equals("schedule")) {
        schedule = schedule(o);
        continue;
      }
      if (key.equals("precision")) {
        precision = precision(item);
        continue;
      }
      if (item instanceof TrainItem.Optimizer o) {
        if (!key.equals("optimizer")) {
          diagnostics.error(o.name().span(), "unknown option '" + o.name().text() + "': '" + key
              + "' takes a number");
          continue;
        }
        optimizer = optimizer(o);
        continue;
      }
      Literal.Number value = ((TrainItem.Setting) item).value();
      switch (key) {
        case "optimizer" -> diagnostics.error(value.span(),
            "optimizer needs a name, such as sgd(lr = 0.1); expected sgd, momentum or adam");
        case "batch" -> batch = positiveInt(value, "batch");
        case "epochs" -> epochs = positiveInt(value, "epochs");
        case "clip" -> clip = positive(value, "clip").map(OptionalDouble::of).orElse(OptionalDouble.empty());
        case "weight_decay" -> weightDecay = nonNegative(value, "weight_decay");
        case "schedule" -> diagnostics.error(value.span(),
            "schedule needs a name, such as step(every = 100, gamma = 0.5); expected constant, step or cosine");
        default -> seed = nonNegativeInt(value);
      }
    }
    return new TrainSpec(optimizer, batch, epochs, clip, weightDecay, seed, schedule, precision);
  }

  /** {@code precision f32} or {@code precision f64}: a bare name, no options. */
  private Optional<Precision> precision(TrainItem item) {
    if (item instanceof TrainItem.Optimizer o) {
      Optional<Precision> p = Precision.parse(o.name().text());
      if (p.isEmpty()) {
        diagnostics.error(o.name().span(), "unknown precision '" + o.name().text()
            + "'; expected f32 or f64" + Suggestions.didYouMean(o.name().text(), List.of("f32", "f64")));
      } else if (!o.options().isEmpty()) {
        diagnostics.error(o.options().get(0).name().span(), "precision takes no options");
      } else {
        return p;
      }
      return Optional.empty();
    }
    Literal.Number value = ((TrainItem.Setting) item).value();
    diagnostics.error(value.span(), "precision is f32 or f64, not " + value.text());
    return Optional.empty();
  }

  /** {@code schedule constant}, {@code step(every = N, gamma = G)} or {@code cosine(warmup = N)}. */
  private Optional<TrainSpec.OptimizerSpec> schedule(TrainItem.Optimizer o) {
    String kind = o.name().text();
    Map<String, Double> defaults = SCHEDULES.get(kind);
    if (defaults == null) {
      diagnostics.error(o.name().span(), "unknown schedule '" + kind + "'; expected constant, step or cosine"
          + Suggestions.didYouMean(kind, SCHEDULES.keySet()));
      return Optional.empty();
    }
    Map<String, Double> values = new LinkedHashMap<>(defaults);
    java.util.Set<String> given = new java.util.HashSet<>();
    boolean ok = true;
    for (TrainItem.Option option : o.options()) {
      String name = option.name().text();
      Literal.Number v = option.value();
      boolean again = !given.add(name);
      if (!defaults.containsKey(name)) {
        diagnostics.error(option.name().span(), "unknown option '" + name + "' for schedule " + kind
            + (defaults.isEmpty() ? ", which takes none" : "; expected " + String.join(", ", defaults.keySet()))
            + Suggestions.didYouMean(name, defaults.keySet()));
        ok = false;
      } else if (again) {
        diagnostics.error(option.name().span(), "option '" + name + "' of " + kind + " is already given");
        ok = false;
      } else if (name.equals("gamma") ? !(v.value() > 0)
          : !Literals.isNonNegativeInt(v.text(), v.value()) || name.equals("every") && v.value() < 1) {
        diagnostics.error(v.span(), name + (name.equals("gamma") ? " must be positive, not "
            : name.equals("every") ? " must be a positive integer (steps), not "
            : " must be a non-negative integer (steps), not ") + v.text());
        ok = false;
      } else {
        values.put(name, v.value());
      }
    }
    if (ok && values.containsValue(Double.NaN)) {
      diagnostics.error(o.name().span(), kind + " needs every = STEPS, e.g. step(every = 100, gamma = 0.5)");
      ok = false;
    }
    return ok ? Optional.of(new TrainSpec.OptimizerSpec(kind, values)) : Optional.empty();
  }

  private Optional<TrainSpec.OptimizerSpec> optimizer(TrainItem.Optimizer o) {
    String kind = o.name().text();
    Map<String, Double> defaults = OPTIMIZERS.get(kind);
    if (defaults == null) {
      diagnostics.error(o.name().span(), "unknown optimizer '" + kind + "'; expected sgd, momentum or adam"
          + Suggestions.didYouMean(kind, OPTIMIZERS.keySet()));
      return Optional.empty();
    }
    Map<String, Double> values = new LinkedHashMap<>(defaults);
    Map<String, Span> given = new HashMap<>();
    boolean ok = true;
    for (TrainItem.Option option : o.options()) {
      String name = option.name().text();
      double v = option.value().value();
      Span earlier = given.putIfAbsent(name, option.name().span());
      if (earlier != null) {
        diagnostics.error(option.name().span(), "option '" + name + "' of " + kind + " is already given"
            + (earlier.line() == option.name().span().line() ? "" : " on line " + earlier.line()));
        ok = false;
      } else if (!defaults.containsKey(name)) {
        diagnostics.error(option.name().span(), "unknown option '" + name + "' for " + kind
            + "; expected " + String.join(", ", defaults.keySet())
            + Suggestions.didYouMean(name, defaults.keySet()));
        ok = false;
      } else if (name.startsWith("beta") && !(v >= 0 && v < 1)) {
        diagnostics.error(option.value().span(), name + " must be in [0, 1), not " + option.value().text());
        ok = false;
      } else if (!name.startsWith("beta") && !(v > 0)) {
        diagnostics.error(option.value().span(), name + " must be positive, not " + option.value().text());
        ok = false;
      } else {
        values.put(name, v);
      }
    }
    return ok ? Optional.of(new TrainSpec.OptimizerSpec(kind, values)) : Optional.empty();
  }

  private OptionalInt positiveInt(Literal.Number n, String what) {
    if (!Literals.isNonNegativeInt(n.text(), n.value()) || n.value() < 1) {
      diagnostics.error(n.span(), what + " must be a positive integer, not " + n.text());
      return OptionalInt.empty();
    }
    return OptionalInt.of((int) n.value());
  }

  private OptionalLong nonNegativeInt(Literal.Number n) {
    if (!Literals.isNonNegativeInt(n.text(), n.value())) {
      diagnostics.error(n.span(), "seed must be a non-negative integer, not " + n.text());
      return OptionalLong.empty();
    }
    return OptionalLong.of((long) n.value());
  }

  private Optional<Double> positive(Literal.Number n, String what) {
    if (!(n.value() > 0)) {
      diagnostics.error(n.span(), what + " must be positive, not " + n.text());
      return Optional.empty();
    }
    return Optional.of(n.value());
  }

  private OptionalDouble nonNegative(Literal.Number n, String what) {
    if (!(n.value() >= 0)) {
      diagnostics.error(n.span(), what + " must be zero or positive, not " + n.text());
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(n.value());
  }

  private static Map<String, Double> ordered(Object... keyValues) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], (Double) keyValues[i + 1]);
    }
    return m;
  }
}
