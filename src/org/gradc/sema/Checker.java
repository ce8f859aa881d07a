package org.gradc.sema;

import org.gradc.diag.Suggestions;
import org.gradc.runtime.TrainSpec;
import org.gradc.runtime.InitSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gradc.ast.Expr;
import org.gradc.ast.Ident;
import org.gradc.ast.Init;
import org.gradc.ast.Literal;
import org.gradc.ast.Program;
import org.gradc.ast.Stmt;
import org.gradc.diag.Diagnostics;
import org.gradc.diag.Span;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;
import org.gradc.ir.Shape;

/**
 * The semantic checker: resolves names, expands defs, checks every shape and declaration, and
 * lowers each model to its forward graph. In: a {@link Program}. Out: a {@link CheckedProgram}
 * when there are no errors; otherwise every independent error is in the {@link Diagnostics}.
 */
public final class Checker {
  /** The most trainable scalars a model may have: they are one array at run time. */
  public static final long MAX_PARAMETERS = Shape.MAX_ELEMENTS;

  private final Program program;
  private final Diagnostics diagnostics;
  private final Defs defs;
  private final Literals literals;

  private Checker(Program program, Diagnostics diagnostics) {
    this.program = program;
    this.diagnostics = diagnostics;
    this.defs = new Defs(program.defs(), diagnostics);
    this.literals = new Literals(diagnostics);
  }

  /** Checks every model; empty when there were errors (they are in {@code diagnostics}). */
  public static Optional<CheckedProgram> check(Program program, Diagnostics diagnostics) {
    return new Checker(program, diagnostics).run();
  }

  private Optional<CheckedProgram> run() {
    if (program.models().isEmpty()) {
      diagnostics.error(Span.START, "no model in file; expected 'model NAME { … }'");
    }
    Map<String, Ident> modelNames = new HashMap<>();
    List<CheckedModel> models = new ArrayList<>();
    for (Program.Model model : program.models()) {
      Ident earlier = modelNames.putIfAbsent(model.name().text(), model.name());
      if (earlier != null) {
        diagnostics.error(model.name().span(), "model '" + model.name().text()
            + "' is already defined on line " + earlier.span().line());
      }
      new ModelChecker(model).check().ifPresent(models::add);
    }
    return diagnostics.hasErrors() ? Optional.empty()
        : Optional.of(new CheckedProgram(program.file(), models, diagnostics.warnings()));
  }

  /** Checks one model; its scope grows statement by statement, so uses must follow definitions. */
  private final class ModelChecker {
    private final Program.Model model;
    private final GraphBuilder graph = new GraphBuilder();
    private final Map<String, Symbol> scope = new HashMap<>();
    private final Map<String, Span> declarations = new HashMap<>();
    private final List<CheckedModel.Value> inputs = new ArrayList<>();
    private final List<CheckedModel.Value> targets = new ArrayList<>();
    private final List<CheckedModel.Param> params = new ArrayList<>();
    private final List<CheckedModel.Value> consts = new ArrayList<>();
    private final List<CheckedModel.Value> intermediates = new ArrayList<>();
    private final Map<String, CheckedModel.Value> outputs = new LinkedHashMap<>();
    private final Map<Node, String> names = new HashMap<>();
    private final ExprLowering lowering;
    private Node loss;
    private Span lossSpan;
    private Span trainSpan;
    private TrainSpec train = TrainSpec.NONE;
    private long parameterCount;

    ModelChecker(Program.Model model) {
      this.model = model;
      this.lowering = new ExprLowering(graph, diagnostics, program.file(), defs, this::resolve);
    }

    Optional<CheckedModel> check() {
      collectDeclarations();
      int errorsBefore = diagnostics.count();
      model.body().forEach(this::statement);
      String name = model.name().text();
      if (lossSpan == null) {
        diagnostics.error(model.name().span(), "model '" + name + "' has no loss; add 'loss EXPR'");
      }
      if (model.body().stream().noneMatch(s -> s instanceof Stmt.Param || s instanceof Stmt.Layer)) {
        diagnostics.error(model.name().span(), "model '" + name + "' has no parameters; add 'param' or 'layer'");
      }
      if (diagnostics.count() > errorsBefore || loss == null) {
        return Optional.empty();
      }
      if (outputs.isEmpty()) {
        // it trains, but predict has nothing to write and eval no outputs to show
        diagnostics.warning(model.name().span(), "model '" + name
            + "' has no output; add 'output NAME' to say what predict and eval report");
      }
      return Optional.of(new CheckedModel(name, program.file(), model.span(), graph.freeze(), inputs,
          targets, params, consts, intermediates, List.copyOf(outputs.values()), loss, lossSpan,
          train, names));
    }

    /** First pass: every declared name and where, for redefinitions and use-before-definition. */
    private void collectDeclarations() {
      for (Stmt s : model.body()) {
        declaredName(s).ifPresent(id -> {
          Span earlier = declarations.putIfAbsent(id.text(), id.span());
          if (earlier != null) {
            diagnostics.error(id.span(), "'" + id.text() + "' is already defined on line " + earlier.line());
          }
        });
      }
    }

    private Optional<Ident> declaredName(Stmt s) {
      if (s instanceof Stmt.Data d) {
        return Optional.of(d.name());
      } else if (s instanceof Stmt.Param p) {
        return Optional.of(p.name());
      } else if (s instanceof Stmt.Const c) {
        return Optional.of(c.name());
      } else if (s instanceof Stmt.Assign a) {
        return Optional.of(a.name());
      } else if (s instanceof Stmt.Layer l) {
        return Optional.of(l.name());
      }
      return Optional.empty();
    }

    /** Resolves a model-level name at the current statement, reporting why it cannot be used. */
    private Optional<Symbol> resolve(Ident id) {
      Symbol s = scope.get(id.text());
      if (s != null) {
        return s.node() == null ? Optional.empty() : Optional.of(s);
      }
      Span later = declarations.get(id.text());
      if (later != null) {
        diagnostics.error(id.span(), "'" + id.text() + "' is used before its definition on line " + later.line());
      } else {
        diagnostics.error(id.span(), () -> "unknown name '" + id.text() + "'"
            + Suggestions.didYouMean(id.text(), scope.keySet()));
      }
      return Optional.empty();
    }

    /** Binds a declared name, unless this statement is the second declaration of it. */
    private void bind(Ident id, Node node, Map<String, Node> layerParams) {
      bind(id, node, layerParams, null);
    }

    private void bind(Ident id, Node node, Map<String, Node> layerParams, LayerKinds.Kind kind) {
      if (declarations.get(id.text()) == id.span()) {
        scope.put(id.text(), new Symbol(node, layerParams, kind));
      }
    }

    private void statement(Stmt s) {
      if (s instanceof Stmt.Data d) {
        data(d);
      } else if (s instanceof Stmt.Param p) {
        param(p);
      } else if (s instanceof Stmt.Const c) {
        constant(c);
      } else if (s instanceof Stmt.Assign a) {
        Node value = lowering.lower(a.value());
        bind(a.name(), value, Map.of());
        if (value != null) {
          intermediates.add(new CheckedModel.Value(a.name().text(), value, a.span()));
          names.putIfAbsent(value, a.name().text());
        }
      } else if (s instanceof Stmt.Layer l) {
        layer(l);
      } else if (s instanceof Stmt.Output o) {
        for (Ident id : o.names()) {
          CheckedModel.Value earlier = outputs.get(id.text());
          if (earlier != null) {
            diagnostics.error(id.span(), "'" + id.text() + "' is already an output"
                + (earlier.span().line() == id.span().line() ? ""
                    : " (on line " + earlier.span().line() + ")"));
            continue;
          }
          resolve(id).ifPresent(sym -> outputs.put(id.text(),
              new CheckedModel.Value(id.text(), sym.node(), id.span())));
        }
      } else if (s instanceof Stmt.Loss l) {
        loss(l);
      } else {
        Stmt.Train t = (Stmt.Train) s;
        if (trainSpan != null) {
          diagnostics.error(t.span(), "model '" + model.name().text()
              + "' already has a train block on line " + trainSpan.line());
        } else {
          trainSpan = t.span();
          train = new TrainBlock(diagnostics).check(t);
        }
      }
    }

    private void data(Stmt.Data d) {
      Optional<Shape> shape = literals.shape(d.dims());
      if (shape.isPresent() && shape.get().rank() > 3) {
        diagnostics.error(d.name().span(), "'" + d.name().text() + "' has rank " + shape.get().rank()
            + "; inputs and targets have rank at most 3 (an image [channels, height, width])");
        shape = Optional.empty();
      }
      String name = d.name().text();
      Node node = shape.map(sh -> d.kind() == Stmt.DataKind.INPUT ? graph.input(name, sh)
          : graph.target(name, sh)).orElse(null);
      bind(d.name(), node, Map.of());
      if (node != null) {
        (d.kind() == Stmt.DataKind.INPUT ? inputs : targets).add(new CheckedModel.Value(name, node, d.span()));
        names.putIfAbsent(node, name);
      }
    }

    private void param(Stmt.Param p) {
      String name = p.name().text();
      Optional<Shape> shape = declaredShape(p.name(), p.dims(), p.init());
      Optional<InitSpec> init = shape.flatMap(sh -> p.init()
          .map(i -> literals.init(i, sh, name))
          .orElseGet(() -> Optional.of(sh.rank() >= 2 ? new InitSpec.Xavier() : new InitSpec.Zeros())));
      Node node = init.isPresent() && fits(p.name(), shape.get().size())
          ? graph.param(name, shape.get()) : null;
      bind(p.name(), node, Map.of());
      if (node != null) {
        params.add(new CheckedModel.Param(name, node, init.get(), p.span()));
        names.putIfAbsent(node, name);
      }
    }

    private void constant(Stmt.Const c) {
      String name = c.name().text();
      Node node = null;
      if (!(c.value() instanceof Init.Value v)) {
        diagnostics.error(c.value().span(), "const '" + name + "' needs an array literal or number");
      } else {
        Optional<Shape> shape = declaredShape(c.name(), c.dims(), Optional.of(c.value()));
        Optional<InitSpec> value = shape.flatMap(sh -> literals.init(v, sh, name));
        if (value.isPresent()) {
          double[] values = value.get() instanceof InitSpec.Values vs ? vs.values()
              : filled(shape.get().size(), ((Literal.Number) v.literal()).value());
          node = graph.constant(name, shape.get(), values);
          consts.add(new CheckedModel.Value(name, node, c.span()));
          names.putIfAbsent(node, name);
        }
      }
      bind(c.name(), node, Map.of());
    }

    /** The declared dims, else the shape of an array literal initializer, else a scalar. */
    private Optional<Shape> declaredShape(Ident name, Optional<List<Expr.Num>> dims, Optional<Init> init) {
      Optional<Shape> shape;
      if (dims.isPresent()) {
        shape = literals.shape(dims.get());
      } else if (init.isPresent() && init.get() instanceof Init.Value v && v.literal() instanceof Literal.Array a) {
        shape = literals.shapeOf(a);
      } else {
        shape = Optional.of(Shape.SCALAR);
      }
      if (shape.isPresent() && shape.get().rank() > 2) {
        diagnostics.error(name.span(), "'" + name.text() + "' has rank " + shape.get().rank()
            + "; values have rank at most 2");
        return Optional.empty();
      }
      return shape;
    }

    private void layer(Stmt.Layer l) {
      Optional<LayerKinds.Kind> kind = LayerKinds.lookup(l.function().text());
      if (kind.isEmpty()) {
        diagnostics.error(l.function().span(), "unknown function '" + l.function().text()
            + "' for a layer; expected " + LayerKinds.names());
        bind(l.name(), null, Map.of());
        return;
      }
      Optional<LayerKinds.Checked> checked = kind.get().check(l, lowering);
      Node value = null;
      Map<String, Node> layerParams = Map.of();
      if (checked.isPresent() && fits(l.name(), checked.get().params().stream()
          .mapToLong(p -> p.shape().size()).sum())) {
        String name = l.name().text();
        Map<String, Node> fields = new LinkedHashMap<>();
        for (LayerKinds.ParamSpec p : checked.get().params()) {
          String full = name + "." + p.field();
          Node node = graph.param(full, p.shape());
          params.add(new CheckedModel.Param(full, node, p.init(), l.span()));
          names.putIfAbsent(node, full);
          fields.put(p.field(), node);
        }
        layerParams = Collections.unmodifiableMap(fields);
        value = checked.get().build().apply(layerParams);
        if (value != null) {
          intermediates.add(new CheckedModel.Value(name, value, l.span()));
          names.putIfAbsent(value, name);
        }
      }
      bind(l.name(), value, layerParams, kind.get());
    }

    private void loss(Stmt.Loss l) {
      if (lossSpan != null) {
        diagnostics.error(l.span(), "model '" + model.name().text() + "' already has a loss on line "
            + lossSpan.line());
        return;
      }
      lossSpan = l.span();
      Node value = lowering.lower(l.value());
      if (value != null && !value.shape().isScalar()) {
        diagnostics.error(l.value().span(), "loss must be a scalar, but has shape " + value.shape()
            + "; reduce it with sum(…) or mean(…)");
        return;
      }
      loss = value;
    }

    /** Counts a declaration's parameters; false (reported at its name) past the model's limit. */
    private boolean fits(Ident name, long count) {
      parameterCount += count;
      if (parameterCount > MAX_PARAMETERS) {
        diagnostics.error(name.span(), "'" + name.text() + "' takes model '" + model.name().text()
            + "' past " + MAX_PARAMETERS + " parameters, the most a model may have");
        parameterCount = Long.MIN_VALUE / 2; // reported once
        return false;
      }
      return true;
    }

    private double[] filled(int n, double v) {
      double[] out = new double[n];
      java.util.Arrays.fill(out, v);
      return out;
    }
  }
}
