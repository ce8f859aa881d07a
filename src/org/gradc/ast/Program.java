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

  /** {@code def name(params) = body}. */
  public record Def(Ident name, List<Ident> params, Expr body) {
    public Def {
      params = List.copyOf(params);
    }
  }

  /** {@code model Name { statements }}; {@code span} covers the whole declaration. */
  public record Model(Ident name, List<Stmt> body, Span span) {
    public Model {
      body = List.copyOf(body);
    }
  }
}
