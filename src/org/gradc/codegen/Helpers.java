package org.gradc.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.HashSet;
import java.util.Set;
import javax.lang.model.element.Modifier;
import org.gradc.runtime.FastMath;

/**
 * The private static helper methods of a generated class ({@code sigmoid(x)}, {@code doubles(...)},
 * …): the kernels record which ones they call, and only those are added.
 */
final class Helpers {
  private static final String[] HELPERS = {
      "sigmoid", "softplus", "relu", "step", "sign", "max", "min", "ge", "tanh"};

  private final Set<String> used = new HashSet<>();

  /** Records that the class calls helper {@code name}. */
  void use(String name) {
    used.add(name);
  }

  /** Adds the helpers used, in a fixed order. */
  void addTo(TypeSpec.Builder type) {
    for (String h : HELPERS) {
      if (used.contains(h)) {
        type.addMethod(helper(h));
      }
    }
    if (used.contains("doubles")) {
      type.addMethod(MethodSpec.methodBuilder("doubles")
          .addModifiers(Modifier.STATIC)
          .returns(ArrayTypeName.of(TypeName.DOUBLE))
          .addParameter(ArrayTypeName.of(String.class), "parts")
          .varargs()
          .addComment("the parts are one text cut before spaces")
          .addStatement("String[] values = String.join($S, parts).split($S)", "", " ")
          .addStatement("double[] v = new double[values.length]")
          .beginControlFlow("for (int i = 0; i < values.length; i++)")
          .addStatement("v[i] = Double.parseDouble(values[i])")
          .endControlFlow()
          .addStatement("return v")
          .build());
    }
  }

  private static MethodSpec helper(String name) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(name)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(TypeName.DOUBLE);
    boolean binary = name.equals("max") || name.equals("min") || name.equals("ge");
    if (binary) {
      m.addParameter(TypeName.DOUBLE, "a").addParameter(TypeName.DOUBLE, "b");
    } else {
      m.addParameter(TypeName.DOUBLE, "x");
    }
    switch (name) {
      case "sigmoid" -> m.addComment("logistic function, finite for arguments of any magnitude")
          .beginControlFlow("if (x >= 0.0)")
          .addStatement("return 1.0 / (1.0 + Math.exp(-x))")
          .endControlFlow()
          .addStatement("double e = Math.exp(x)")
          .addStatement("return e / (1.0 + e)");
      case "softplus" -> m.addComment("log(1 + exp(x)) without overflow")
          .addStatement("return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)))");
      case "relu" -> m.addStatement("return x > 0.0 ? x : 0.0");
      case "step" -> m.addComment("relu'(x); step(0) = 0").addStatement("return x > 0.0 ? 1.0 : 0.0");
      case "sign" -> m.addComment("abs'(x); sign(0) = 0")
          .addStatement("return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : 0.0)");
      case "max" -> m.addComment("the first argument wins ties").addStatement("return a >= b ? a : b");
      case "min" -> m.addComment("the first argument wins ties").addStatement("return a <= b ? a : b");
      case "ge" -> m.addStatement("return a >= b ? 1.0 : 0.0");
      case "tanh" -> m.addComment("the same bits interpreted and compiled, as the array form")
          .addStatement("return $T.tanh(x)", ClassName.get(FastMath.class));
      default -> throw new IllegalArgumentException(name);
    }
    return m.build();
  }
}
