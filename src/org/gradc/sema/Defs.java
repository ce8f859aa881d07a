package org.gradc.sema;

import org.gradc.diag.Suggestions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gradc.ast.Expr;
import org.gradc.ast.Ident;
import org.gradc.ast.Program;
import org.gradc.diag.Diagnostics;
import org.gradc.ir.Builtins;

/**
 * The file's {@code def}s, checked once on their own: unique names, names in the body are
 * parameters, calls go to known functions with the right argument count, and no def reaches
 * itself. Shapes are checked at each call, where the argument shapes are known.
 */
final class Defs {
  private final Diagnostics diagnostics;
  private final Map<String, Program.Def> defs = new LinkedHashMap<>();
  private final Set<String> broken = new HashSet<>();

  Defs(List<Program.Def> all, Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
    for (Program.Def def : all) {
      declare(def);
    }
    Map<String, List<Ident>> calls = new HashMap<>();
    for (Program.Def def : defs.values()) {
      List<Ident> called = new ArrayList<>();
      List<String> params = def.params().stream().map(Ident::text).toList();
      if (!checkBody(def, params, def.body(), called) || !checkRule(def, params, called)) {
        broken.add(def.name().text());
      }
      calls.put(def.name().text(), called);
    }
    findRecursion(calls);
  }

  Program.Def get(String name) {
    return defs.get(name);
  }

  boolean isBroken(String name) {
    return broken.contains(name);
  }

  Set<String> names() {
    return defs.keySet();
  }

  private void declare(Program.Def def) {
    String name = def.name().text();
    if (defs.containsKey(name)) {
      diagnostics.error(def.name().span(), "'" + name + "' is already defined on line "
          + defs.get(name).name().span().line());
      return;
    }
    if (Builtins.lookup(name).isPresent()) {
      diagnostics.error(def.name().span(), "'" + name + "' is already defined as a builtin function");
      return;
    }
    Set<String> params = new HashSet<>();
    for (Ident p : def.params()) {
      if (!params.add(p.text())) {
        diagnostics.error(p.span(), "parameter '" + p.text() + "' is already defined in '" + name + "'");
        broken.add(name);
      }
    }
    defs.put(name, def);
  }

  /**
   * Name resolution and arity inside a def body; collects the defs it calls, in the order of a
   * left-to-right post-order walk (arguments before the call). Iterative, so a long chain such as
   * {@code z + z + … + z} needs no stack.
   */
  private boolean checkBody(Program.Def def, List<String> names, Expr body, List<Ident> called) {
    boolean ok = true;
    for (Expr e : Exprs.postOrder(body, Defs::checkedChildren)) {
      ok &= checkNode(def, names, e, called);
    }
    return ok;
  }

  /**
   * A {@code grad} clause: one product per parameter, new names for the result and its adjoint,
   * and bodies that use only those and the parameters.
   */
  private boolean checkRule(Program.Def def, List<String> params, List<Ident> called) {
    Program.GradRule rule = def.rule();
    if (rule == null) {
      return true;
    }
    boolean ok = true;
    for (Ident id : List.of(rule.result(), rule.cotangent())) {
      if (params.contains(id.text())) {
        diagnostics.error(id.span(), "'" + id.text() + "' is already a parameter of '"
            + def.name().text() + "'; the grad clause needs new names for the result and its adjoint");
        ok = false;
      }
    }
    if (rule.result().text().equals(rule.cotangent().text())) {
      diagnostics.error(rule.cotangent().span(), "the result and its adjoint need different names");
      ok = false;
    }
    if (rule.vjps().size() != params.size()) {
      int n = params.size();
      diagnostics.error(rule.span(), "'" + def.name().text() + "' has " + n
          + (n == 1 ? " parameter" : " parameters") + ", so its grad clause needs " + n
          + (n == 1 ? " expression" : " expressions, one per parameter in order") + ", but "
          + rule.vjps().size() + (rule.vjps().size() == 1 ? " was" : " were") + " given");
      ok = false;
    }
    List<String> names = new ArrayList<>(params);
    names.add(rule.result().text());
    names.add(rule.cotangent().text());
    for (Expr vjp : rule.vjps()) {
      ok &= checkBody(def, names, vjp, called);
    }
    return ok;
  }

  /** The subexpressions the body check descends into: not the target of a layer field. */
  private static List<Expr> checkedChildren(Expr e) {
    if (e instanceof Expr.Member m && !m.field().text().equals("T")) {
      return List.of();
    }
    return Exprs.children(e);
  }

  private boolean checkNode(Program.Def def, List<String> names, Expr e, List<Ident> called) {
    if (e instanceof Expr.Name n) {
      String name = n.name().text();
      if (!names.contains(name)) {
        diagnostics.error(n.span(), () -> "unknown name '" + name + "'; a def can only use its parameters"
            + (names.size() > def.params().size() ? ", its result and the result's adjoint" : "")
            + Suggestions.didYouMean(name, names));
        return false;
      }
      return true;
    }
    if (e instanceof Expr.Member m && !m.field().text().equals("T")) {
      String target = m.target() instanceof Expr.Name n ? n.name().text() : "expression";
      diagnostics.error(m.target().span(), "'" + target + "' is not a layer");
      return false;
    }
    if (!(e instanceof Expr.Call c)) {
      return true;
    }
    String fn = c.function().text();
    int arity;
    if (defs.containsKey(fn)) {
      called.add(c.function());
      arity = defs.get(fn).params().size();
    } else if (Builtins.lookup(fn).isPresent()) {
      arity = Builtins.lookup(fn).get().arity();
    } else {
      diagnostics.error(c.function().span(), () -> unknownFunction(fn));
      return false;
    }
    if (arity != c.args().size()) {
      diagnostics.error(c.function().span(), arityMessage(fn, arity, c.args().size()));
      return false;
    }
    return true;
  }

  /**
   * Reports each call that closes a cycle of defs, at the call inside the def. A depth-first
   * search with an explicit stack, so a chain of thousands of defs needs no call stack.
   */
  private void findRecursion(Map<String, List<Ident>> calls) {
    Set<String> done = new HashSet<>();
    for (String root : defs.keySet()) {
      if (done.contains(root)) {
        continue;
      }
      List<String> path = new ArrayList<>();
      Map<String, Integer> onPath = new HashMap<>();
      List<Integer> next = new ArrayList<>();
      path.add(root);
      onPath.put(root, 0);
      next.add(0);
      while (!path.isEmpty()) {
        int top = path.size() - 1;
        String def = path.get(top);
        List<Ident> out = calls.getOrDefault(def, List.of());
        int i = next.get(top);
        if (i == out.size()) {
          path.remove(top);
          next.remove(top);
          onPath.remove(def);
          done.add(def);
          continue;
        }
        next.set(top, i + 1);
        Ident call = out.get(i);
        Integer at = onPath.get(call.text());
        if (at != null) {
          List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
          cycle.add(call.text());
          String how = cycle.size() == 2 ? "'" + def + "' calls itself"
              : String.join(" -> ", cycle.stream().map(s -> "'" + s + "'").toList());
          diagnostics.error(call.span(), "recursive definition: " + how);
          broken.addAll(cycle);
        } else if (!done.contains(call.text()) && defs.containsKey(call.text())) {
          onPath.put(call.text(), path.size());
          path.add(call.text());
          next.add(0);
        }
      }
    }
  }

  String unknownFunction(String fn) {
    Set<String> known = new HashSet<>(Builtins.names());
    known.addAll(defs.keySet());
    return "unknown function '" + fn + "'" + Suggestions.didYouMean(fn, known);
  }

  static String arityMessage(String fn, int arity, int given) {
    return "'" + fn + "' takes " + arity + (arity == 1 ? " argument" : " arguments") + ", but "
        + given + (given == 1 ? " was" : " were") + " given";
  }
}
