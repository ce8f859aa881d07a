package org.gradc.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import javax.lang.model.element.Modifier;
import org.gradc.lower.Plan;
import org.gradc.lower.Planner;
import org.gradc.runtime.GeneratedModel;
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

  /**
   * Writes a small class with the kinds of members, statements and comments the emitter writes
   * and drops it: loads and initializes JavaPoet (its names, keywords and line breaking) for a
   * caller about to emit a model, on a thread with time to spare. Changes no emitted text.
   */
  public static void warmUp() {
    CodeBlock body = CodeBlock.builder()
        .add("// $L\n", "comment")
        .beginControlFlow("for (int $N = 0; $N < $L; $N++)", "i", "i", 2, "i")
        .addStatement("$N[$N] += $L", "x", "i", 1.0)
        .endControlFlow()
        .build();
    MethodSpec method = MethodSpec.methodBuilder("step")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(TypeName.DOUBLE)
        .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "x")
        .addParameter(TypeName.INT, "B")
        .addComment("$L", "a comment")
        .addCode(body)
        .addStatement("return $T.exp(x[0])", Math.class)
        .build();
    TypeSpec type = TypeSpec.classBuilder("WarmUp")
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(ClassName.get(GeneratedModel.class))
        .addJavadoc("$L\n", "javadoc")
        .addField(FieldSpec.builder(TypeName.INT, "W", Modifier.STATIC, Modifier.FINAL)
            .initializer("$L", 0).build())
        .addMethod(method)
        .build();
    JavaFile.builder(RUNTIME_PACKAGE, type).addFileComment("$L", "header")
        .skipJavaLangImports(true).indent("  ").build().toString();
  }

  /** Emits, compiles and loads a plan computing in {@code precision}. */
  public static LoadedModel compile(Plan plan, Derivation derivation, Precision precision) {
    JavaEmitter.Emitted code = JavaEmitter.emit(plan, RUNTIME_PACKAGE, derivation, precision);
    return LoadedModel.load(plan.model().layout(), code.qualifiedName(), code.source());
  }
}
