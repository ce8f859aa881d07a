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
 * …), on its element type: the kernels record which ones they call, and only those are added.
 */
final class Helpers {
  private static final String[] HELPERS = {
      "sigmoid", "softplus", "relu", "step", "sign", "max", "min", "ge", "tanh"};

  private final Set<String> used = new HashSet<>();
  private final ElementType type;

  Helpers(ElementType type) {
    this.type = type;
  }

  /** Records that the class calls helper {@code name}. */
  void use(String name) {
    used.add(name);
  }

  /** Adds the helpers used, in a fixed order. */
  void addTo(TypeSpec.Builder cls) {
    for (String h : HELPERS) {
      if (used.contains(h)) {
        cls.addMethod(helper(h));
      }
    }
    if (used.contains(type.parser())) {
      cls.addMethod(parser());
    }
  }

  /** {@code doubles(...)} or {@code floats(...)}: a constant's values from its text. */
  private MethodSpec parser() {
    return MethodSpec.methodBuilder(type.parser())
        .addModifiers(Modifier.STATIC)
        .returns(type.array())
        .addParameter(ArrayTypeName.of(String.class), "parts")
        .varargs()
        .addComment("the parts are one text cut before spaces")
        .addStatement("String[] values = String.join($S, parts).split($S)", "", " ")
        .addStatement("$T v = new $L[values.length]", type.array(), type.name())
        .beginControlFlow("for (int i = 0; i < values.length; i++)")
        .addStatement("v[i] = $L.parse$L(values[i])", type.box(), type.box())
        .endControlFlow()
        .addStatement("return v")
        .build();
  }

  /** A helper on the element type; the literals and Math results are of that type. */
  private MethodSpec helper(String name) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(name)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(type.scalar());
    boolean binary = name.equals("max") || name.equals("min") || name.equals("ge");
    if (binary) {
      m.addParameter(type.scalar(), "a").addParameter(type.scalar(), "b");
    } else {
      m.addParameter(type.scalar(), "x");
    }
    String zero = type.spelled("0.0");
    String one = type.spelled("1.0");
    switch (name) {
      case "sigmoid" -> m.addComment("logistic function, finite for arguments of any magnitude")
          .beginControlFlow("if (x >= $L)", zero)
          .addStatement("return $L / ($L + $L)", one, one, type.fromDouble("Math.exp(-x)"))
          .endControlFlow()
          .addStatement("$L e = $L", type.name(), type.fromDouble("Math.exp(x)"))
          .addStatement("return e / ($L + e)", one);
      case "softplus" -> m.addComment("log(1 + exp(x)) without overflow")
          .addStatement("return Math.max(x, $L) + $L", zero,
              type.fromDouble("Math.log1p(Math.exp(-Math.abs(x)))"));
      case "relu" -> m.addStatement("return x > $L ? x : $L", zero, zero);
      case "step" -> m.addComment("relu'(x); step(0) = 0")
          .addStatement("return x > $L ? $L : $L", zero, one, zero);
      case "sign" -> m.addComment("abs'(x); sign(0) = 0")
          .addStatement("return x > $L ? $L : (x < $L ? $L : $L)", zero, one, zero,
              type.spelled("-1.0"), zero);
      case "max" -> m.addComment("the first argument wins ties").addStatement("return a >= b ? a : b");
      case "min" -> m.addComment("the first argument wins ties").addStatement("return a <= b ? a : b");
      case "ge" -> m.addStatement("return a >= b ? $L : $L", one, zero);
      case "tanh" -> m.addComment("the same bits interpreted and compiled, as the array form")
          .addStatement("return " + type.fromDouble("$T.tanh(x)"), ClassName.get(FastMath.class));
      default -> throw new IllegalArgumentException(name);
    }
    return m.build();
  }
}
