package org.gradc.codegen;

import org.gradc.lower.Plan;
import org.gradc.lower.Planner;
import org.gradc.runtime.LoadedModel;
import org.gradc.runtime.Precision;
import org.gradc.sema.CheckedModel;

/** From a checked model to Java: plan, emit, and (for {@link #compile}) load with Janino. */
public final class ModelCompiler {
  /** The package of classes compiled in memory. */
  public static final String RUNTIME_PACKAGE = "org.gradc.generated";

  private ModelCompiler() {}

  /** The generated Java source of a model, in {@code packageName} ("" for the default package). */
  public static JavaEmitter.Emitted emit(CheckedModel model, String packageName) {
    return JavaEmitter.emit(Planner.plan(model), packageName);
  }

  /** Generates, compiles and loads a model. */
  public static LoadedModel compile(CheckedModel model) {
    return compile(Planner.plan(model));
  }

  /** Emits, compiles and loads a plan. */
  public static LoadedModel compile(Plan plan) {
    return compile(plan, Derivation.NONE);
  }

  /** Emits, compiles and loads a plan whose code reads like {@code derivation}. */
  public static LoadedModel compile(Plan plan, Derivation derivation) {
    return compile(plan, derivation, Precision.F64);
  }

  /** Emits, compiles and loads a plan computing in {@code precision}. */
  public static LoadedModel compile(Plan plan, Derivation derivation, Precision precision) {
    JavaEmitter.Emitted code = JavaEmitter.emit(plan, RUNTIME_PACKAGE, derivation, precision);
    return LoadedModel.load(plan.model().layout(), code.qualifiedName(), code.source());
  }
}
