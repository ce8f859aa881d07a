package org.gradc.ast;

import java.util.List;
import org.gradc.diag.SourceFile;
import org.gradc.diag.Span;

/** A parsed file: its {@code def}s and models, in source order. */
public record Program(SourceFile file, List<Def> defs, List<Model> models) {
  public Program {
    defs = List.copyOf(defs);
    models = List.copyOf(models);
  }

  /**
   * {@code def name(params) = body}, optionally followed by its own derivative rule.
   *
   * @param rule the {@code grad} clause, or null for the automatic derivative
   */
  public record Def(Ident name, List<Ident> params, Expr body, GradRule rule) {
    public Def {
      params = List.copyOf(params);
    }
  }

  /**
   * {@code grad(result, cotangent) = vjp_1, …, vjp_n}: the vector-Jacobian product of a def, one
   * expression per parameter, in terms of the parameters, the def's result and the adjoint of
   * the result ({@code cotangent}).
   *
   * @param span the {@code grad} keyword
   */
  public record GradRule(Ident result, Ident cotangent, List<Expr> vjps, Span span) {
    public GradRule {
      vjps = List.copyOf(vjps);
    }
  }

  /** {@code model Name { statements }}; {@code span} covers the whole declaration. */
  public record Model(Ident name, List<Stmt> body, Span span) {
    public Model {
      body = List.copyOf(body);
    }
  }
}
