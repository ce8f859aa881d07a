package org.gradc.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import org.gradc.ir.Numbers;
import org.gradc.runtime.GeneratedFloatModel;
import org.gradc.runtime.GeneratedModel;
import org.gradc.runtime.Precision;

/**
 * The element type of one generated class, {@code double} or {@code float}: the one choice the
 * emitter makes about precision, and everything that follows from it (types, literals, the
 * interface, the narrowing of {@code Math} results). {@code Math}'s functions compute in
 * {@code double}; an f32 class rounds each result to {@code float}, so every op is rounded once,
 * as PyTorch's float32 kernels are.
 */
record ElementType(Precision precision) {
  static final ElementType F64 = new ElementType(Precision.F64);

  boolean isFloat() {
    return precision == Precision.F32;
  }

  /** {@code double} or {@code float}. */
  String name() {
    return isFloat() ? "float" : "double";
  }

  TypeName scalar() {
    return isFloat() ? TypeName.FLOAT : TypeName.DOUBLE;
  }

  TypeName array() {
    return ArrayTypeName.of(scalar());
  }

  /** The workspace: an array of arrays. */
  TypeName workspace() {
    return ArrayTypeName.of(array());
  }

  /** The interface the generated class implements. */
  ClassName entryInterface() {
    return ClassName.get(isFloat() ? GeneratedFloatModel.class : GeneratedModel.class);
  }

  /** {@code Double} or {@code Float}, for the box class's constants. */
  String box() {
    return isFloat() ? "Float" : "Double";
  }

  /** The generated helper that parses a constant's values. */
  String parser() {
    return isFloat() ? "floats" : "doubles";
  }

  /** The Java literal of {@code v} in this type ({@code 0.5}, {@code 0.5f}). */
  String literal(double v) {
    if (!isFloat()) {
      return Numbers.javaLiteral(v);
    }
    float f = (float) v;
    if (Float.isNaN(f)) {
      return "Float.NaN";
    }
    if (Float.isInfinite(f)) {
      return f > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY";
    }
    String s = Float.toString(f) + "f";
    return s.startsWith("-") ? "(" + s + ")" : s;
  }

  /** A literal written as in double code ({@code 0.0}), with {@code f} appended for float. */
  String spelled(String text) {
    return isFloat() ? text + "f" : text;
  }

  /** A {@code double}-valued expression (a {@code Math} call) as a value of this type. */
  String fromDouble(String expression) {
    return isFloat() ? "((float) " + expression + ")" : expression;
  }

  /** The batch size B as a value of this type. */
  String batchSize() {
    return "((" + name() + ") B)";
  }
}
