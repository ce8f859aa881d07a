package org.gradc.sema;

import java.util.List;
import java.util.Optional;
import org.gradc.ast.Program;
import org.gradc.diag.Diagnostics;
import org.gradc.diag.SourceFile;
import org.gradc.diag.Span;
import org.gradc.ir.CustomRule;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;

/**
 * The {@code grad} clause of a def as the derivative rule of its {@link org.gradc.ir.Op#CUSTOM}
 * nodes: the clause's expressions lowered on the arguments, the def's result and the adjoint,
 * in whatever graph differentiation builds in. The clause was checked at every call, so
 * lowering it again cannot fail.
 */
public final class DefRule implements CustomRule {
  private final Program.Def def;
  private final Defs defs;
  private final SourceFile file;

  DefRule(Program.Def def, Defs defs, SourceFile file) {
    this.def = def;
    this.defs = defs;
    this.file = file;
  }

  @Override
  public String name() {
    return def.name().text();
  }

  /**
   * The name of a parameter of the def.
   *
   * @param i its position
   * @return its name
   */
  public String parameter(int i) {
    return def.params().get(i).text();
  }

  /**
   * Where the clause is: its {@code grad} keyword.
   *
   * @return the span a rule's error is reported at
   */
  public Span span() {
    return def.rule().span();
  }

  @Override
  public Node forward(GraphBuilder g, List<Node> args) {
    return checked(lowering(g).body(def, args, span()));
  }

  @Override
  public List<Node> vjp(GraphBuilder g, List<Node> args, Node result, Node cotangent) {
    return checked(lowering(g).ruleProducts(def, args, result, cotangent, span()));
  }

  private ExprLowering lowering(GraphBuilder g) {
    return new ExprLowering(g, new Diagnostics(file), file, defs, id -> Optional.empty());
  }

  private static <T> T checked(T lowered) {
    if (lowered == null) {
      throw new IllegalStateException("a checked grad clause failed to lower");
    }
    return lowered;
  }

  @Override
  public String toString() {
    return "grad of " + name();
  }
}
