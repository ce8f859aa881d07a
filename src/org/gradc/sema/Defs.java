package org.gradc.sema;

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
      if (!checkBody(def, def.body(), called)) {
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

  /** Name resolution and arity inside a def body; collects the defs it calls. */
  private boolean checkBody(Program.Def def, Expr e, List<Ident> called) {
    if (e instanceof Expr.Num) {
      return true;
    }
    if (e instanceof Expr.Name n) {
      String name = n.name().text();
      if (def.params().stream().noneMatch(p -> p.text().equals(name))) {
        diagnostics.error(n.span(), "unknown name '" + name + "'; a def can only use its parameters"
            + Suggestions.didYouMean(name, def.params().stream().map(Ident::text).toList()));
        return false;
      }
      return true;
    }
    if (e instanceof Expr.Member m) {
      if (!m.field().text().equals("T")) {
        String target = m.target() instanceof Expr.Name n ? n.name().text() : "expression";
        diagnostics.error(m.target().span(), "'" + target + "' is not a layer");
        return false;
      }
      return checkBody(def, m.target(), called);
    }
    if (e instanceof Expr.Index i) {
      return checkBody(def, i.target(), called);
    }
    if (e instanceof Expr.Negate n) {
      return checkBody(def, n.operand(), called);
    }
    if (e instanceof Expr.Binary b) {
      return checkBody(def, b.left(), called) & checkBody(def, b.right(), called);
    }
    Expr.Call c = (Expr.Call) e;
    boolean ok = true;
    for (Expr arg : c.args()) {
      ok &= checkBody(def, arg, called);
    }
    String fn = c.function().text();
    int arity;
    if (defs.containsKey(fn)) {
      called.add(c.function());
      arity = defs.get(fn).params().size();
    } else if (Builtins.lookup(fn).isPresent()) {
      arity = Builtins.lookup(fn).get().arity();
    } else {
      diagnostics.error(c.function().span(), unknownFunction(fn));
      return false;
    }
    if (arity != c.args().size()) {
      diagnostics.error(c.function().span(), arityMessage(fn, arity, c.args().size()));
      return false;
    }
    return ok;
  }

  /** Reports each call that closes a cycle of defs, at the call inside the def. */
  private void findRecursion(Map<String, List<Ident>> calls) {
    Set<String> done = new HashSet<>();
    for (String def : defs.keySet()) {
      visit(def, new ArrayList<>(), calls, done);
    }
  }

  private void visit(String def, List<String> path, Map<String, List<Ident>> calls, Set<String> done) {
    if (done.contains(def)) {
      return;
    }
    path.add(def);
    for (Ident call : calls.getOrDefault(def, List.of())) {
      int at = path.indexOf(call.text());
      if (at >= 0) {
        List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
        cycle.add(call.text());
        String how = cycle.size() == 2 ? "'" + def + "' calls itself"
            : String.join(" -> ", cycle.stream().map(s -> "'" + s + "'").toList());
        diagnostics.error(call.span(), "recursive definition: " + how);
        broken.addAll(cycle);
      } else {
        visit(call.text(), path, calls, done);
      }
    }
    path.remove(path.size() - 1);
    done.add(def);
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
