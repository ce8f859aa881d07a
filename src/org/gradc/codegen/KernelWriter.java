package org.gradc.codegen;

import static org.gradc.codegen.Loops.add;
import static org.gradc.codegen.Loops.closeAll;
import static org.gradc.codegen.Loops.closeTo;
import static org.gradc.codegen.Loops.mul;
import static org.gradc.codegen.Loops.open;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;
import org.gradc.ir.Fn;
import org.gradc.ir.Node;
import org.gradc.ir.Op;
import org.gradc.ir.Shape;
import org.gradc.lower.Kernel;
import org.gradc.lower.Plan;
import org.gradc.lower.Step;
import org.gradc.lower.Storage;

/**
 * The loop nests of kernels: one private static method per kernel called on its own, one per
 * fused run, each preceded by comments naming its DSL statement and formula. The loops are the
 * ones the plan chose ({@link Kernel.Elementwise#loop()}, {@link Kernel.Elementwise#vectorTanh()},
 * {@link Kernel.Product#gemm()}); this class only writes them.
 */
final class KernelWriter {
  private final Plan plan;
  private final ValueNames names;
  private final Comments comments;
  private final Helpers helpers;
  private final ElementType type;

  /** A generated method and the rendering context its call needs. */
  record Method(MethodSpec spec, Ctx ctx) {}

  KernelWriter(Plan plan, ValueNames names, Comments comments, Helpers helpers,
      ElementType type) {
    this.plan = plan;
    this.names = names;
    this.comments = comments;
    this.helpers = helpers;
    this.type = type;
  }

  /** The method of a kernel called on its own, named {@link ValueNames#kernel}. */
  Method kernelMethod(Kernel k) {
    Ctx ctx = new Ctx(plan, names, type);
    CodeBlock.Builder body = CodeBlock.builder();
    String p = comments.provenance(k);
    if (p != null) {
      body.add("// $L\n", p);
    }
    body.add("// $L\n", comments.formula(k));
    k.accept(new Kernel.Visitor<Void>() {
      @Override
      public Void elementwise(Kernel.Elementwise ew) {
        KernelWriter.this.elementwise(ew, ctx, body);
        return null;
      }

      @Override
      public Void product(Kernel.Product pr) {
        KernelWriter.this.product(pr, ctx, body);
        return null;
      }

      @Override
      public Void structural(Kernel.Structural st) {
        KernelWriter.this.structural(st.out(), ctx, body);
        return null;
      }

      @Override
      public Void copy(Kernel.Copy c) {
        KernelWriter.this.copy(c, ctx, body);
        return null;
      }
    });
    MethodSpec.Builder m = MethodSpec.methodBuilder(names.kernel(k))
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC);
    for (Storage.Array a : ctx.arrays) {
      m.addParameter(type.array(), ValueNames.array(a));
    }
    for (String b : ctx.sortedBuffers()) {
      m.addParameter(type.array(), b);
    }
    if (ctx.usesScratch) {
      m.addParameter(type.array(), names.scratch());
    }
    if (ctx.usesB) {
      m.addParameter(TypeName.INT, "B");
    }
    return new Method(m.addCode(body.build()).build(), ctx);
  }

  /**
   * The method of a fused run: one loop over {@code B * elements}, each elementwise value
   * computed into a local (stored too when the plan says so), batch sums accumulated in locals;
   * after the loop, the sums stored when the plan says so and the run's scalar kernels computed
   * from them.
   */
  Method fusedRun(Step.Fused f) {
    List<Kernel> run = f.kernels();
    Ctx ctx = new Ctx(plan, names, type);
    CodeBlock.Builder before = CodeBlock.builder();
    CodeBlock.Builder loop = CodeBlock.builder();
    CodeBlock.Builder after = CodeBlock.builder();
    ctx.usesB = true;
    Set<Node> readAfter = new HashSet<>();
    f.after().forEach(k -> readAfter.addAll(k.reads()));
    Map<Node, String> afterLocals = new HashMap<>();
    Kernel.Visitor<Void> element = new Kernel.Visitor<>() {
      @Override
      public Void elementwise(Kernel.Elementwise ew) {
        String local = names.local("v", ew.out());
        loop.addStatement("$L $L = $L", type.name(), local,
            expr(ew.out(), ew.fused(), ew.out().shape(), ctx, null, "j"));
        if (f.stored().contains(ew.out())) {
          loop.addStatement("$L = $L", ctx.ref(ew.out(), null, "j"), local);
        }
        ctx.locals.put(ew.out(), local);
        return null;
      }

      /**
       * A batch sum or mean: accumulated in a local; after the loop stored (divided by B) and
       * passed on to the kernels computed there.
       */
      @Override
      public Void structural(Kernel.Structural st) {
        Node n = st.out();
        String acc = names.local("sum", n);
        before.addStatement("$L $L = $L", type.name(), acc, type.spelled("0.0"));
        loop.addStatement("$L += $L", acc, ctx.ref(n.input(0), null, "j"));
        String value = n.op() == Op.BATCH_MEAN
            ? acc + " * (" + type.spelled("1.0") + " / B)" : acc;
        if (n.op() == Op.BATCH_MEAN && readAfter.contains(n)) {
          String mean = names.local("v", n);
          after.addStatement("$L $L = $L", type.name(), mean, value);
          value = mean;
        }
        if (f.stored().contains(n)) {
          after.addStatement("$L = $L", ctx.ref(n, null, "0"), value);
        }
        afterLocals.put(n, value);
        return null;
      }

      @Override
      public Void product(Kernel.Product pr) {
        throw new IllegalStateException("a fused run holds no product: " + pr);
      }

      @Override
      public Void copy(Kernel.Copy c) {
        throw new IllegalStateException("a fused run holds no copy: " + c);
      }
    };
    for (Kernel k : f.inLoop()) {
      commentOn(k, loop);
      k.accept(element);
    }
    afterLoop(f, ctx, afterLocals, after);
    CodeBlock.Builder b = before.build().toBuilder();
    b.beginControlFlow("for (int j = 0; j < $L; j++)", mul("B", f.elements()));
    b.add(loop.build());
    b.endControlFlow();
    b.add(after.build());
    ctx.locals.clear();
    String name = names.allocate("fused_" + names.kernel(run.get(0)), new Object());
    MethodSpec.Builder m = MethodSpec.methodBuilder(name)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC);
    for (Storage.Array a : ctx.arrays) {
      m.addParameter(type.array(), ValueNames.array(a));
    }
    for (String buf : ctx.sortedBuffers()) {
      m.addParameter(type.array(), buf);
    }
    m.addParameter(TypeName.INT, "B");
    return new Method(m.addCode(b.build()).build(), ctx);
  }

  /** The scalar kernels of a run after its loop, reading the batch sums from their locals. */
  private void afterLoop(Step.Fused f, Ctx ctx, Map<Node, String> sums, CodeBlock.Builder after) {
    ctx.locals.clear();
    ctx.locals.putAll(sums);
    for (Kernel k : f.after()) {
      commentOn(k, after);
      Kernel.Elementwise ew = (Kernel.Elementwise) k;
      String local = names.local("v", ew.out());
      after.addStatement("$L $L = $L", type.name(), local,
          expr(ew.out(), ew.fused(), ew.out().shape(), ctx, null, "0"));
      if (f.stored().contains(ew.out())) {
        after.addStatement("$L = $L", ctx.ref(ew.out(), null, "0"), local);
      }
      ctx.locals.put(ew.out(), local);
    }
  }

  /** The comments naming a fused kernel's DSL statement and formula. */
  private void commentOn(Kernel k, CodeBlock.Builder b) {
    String p = comments.provenance(k);
    if (p != null) {
      b.add("// $L\n", p);
    }
    b.add("// $L\n", comments.formula(k));
  }

  private void elementwise(Kernel.Elementwise k, Ctx ctx, CodeBlock.Builder b) {
    Node out = k.out();
    // tanh(expr): the loops store expr, then one vectorized pass applies tanh in place
    boolean fastTanh = k.vectorTanh();
    elementwise(k, fastTanh ? out.input(0) : out, ctx, b);
    if (fastTanh) {
      String[] base = ctx.base(out);
      String n = String.valueOf(out.shape().size());
      if (out.batched()) {
        ctx.usesB = true;
        n = "B * " + n;
      }
      b.addStatement("$T.tanh($L, $L, $L)", ClassName.get(org.gradc.runtime.FastMath.class),
          base[0], base[1], n);
    }
  }

  /** The loops of an elementwise kernel storing {@code top} (out, or out's argument) into out. */
  private void elementwise(Kernel.Elementwise k, Node top, Ctx ctx, CodeBlock.Builder b) {
    Node out = k.out();
    Shape s = out.shape();
    Set<Node> fused = k.fused();
    if (k.loop() == Kernel.Elementwise.Loop.FLAT) {
      ctx.usesB = true;
      b.beginControlFlow("for (int j = 0; j < $L; j++)", mul("B", s.size()));
      namedLocals(k, top, ctx, b, null, "j");
      b.addStatement("$L = $L", ctx.ref(out, null, "j"), expr(top, fused, s, ctx, null, "j"));
      b.endControlFlow();
      return;
    }
    int open = 0;
    if (out.batched()) {
      ctx.usesB = true;
      b.beginControlFlow("for (int e = 0; e < B; e++)");
      open++;
    }
    String j;
    if (k.loop() == Kernel.Elementwise.Loop.ROWS) {
      b.beginControlFlow("for (int r = 0; r < $L; r++)", s.dim(0));
      b.beginControlFlow("for (int c = 0; c < $L; c++)", s.dim(1));
      open += 2;
      j = add(mul("r", s.dim(1)), "c");
    } else if (s.size() > 1) {
      b.beginControlFlow("for (int j = 0; j < $L; j++)", s.size());
      open++;
      j = "j";
    } else {
      j = "0";
    }
    namedLocals(k, top, ctx, b, "e", j);
    b.addStatement("$L = $L", ctx.ref(out, "e", j), expr(top, fused, s, ctx, "e", j));
    for (int i = 0; i < open; i++) {
      b.endControlFlow();
    }
  }

  /**
   * The fused values the story names ({@code z1} inside {@code h = σ(z1)}), each a local of the
   * loop body, so that the code spells the derivation's steps; only those of the output's shape.
   */
  private void namedLocals(Kernel.Elementwise k, Node top, Ctx ctx, CodeBlock.Builder b,
      String e, String j) {
    List<Node> named = new ArrayList<>();
    for (Node n : k.fused()) {
      if (n != top && n != k.out() && names.storyNamed(n) && n.shape().equals(k.out().shape())
          && n.batched() == k.out().batched()) {
        named.add(n);
      }
    }
    named.sort(java.util.Comparator.comparingInt(Node::id));
    for (Node n : named) {
      String local = names.value(n);
      b.addStatement("$L $L = $L", type.name(), local,
          expr(n, k.fused(), k.out().shape(), ctx, e, j));
      ctx.locals.put(n, local);
    }
  }

  private String expr(Node n, Set<Node> fused, Shape s, Ctx ctx, String e, String j) {
    String local = ctx.locals.get(n);
    if (local != null) {
      return local;
    }
    if (!fused.contains(n)) {
      boolean shared = e == null && !n.batched();
      String idx = shared ? "0" : n.shape().equals(s) ? j : n.shape().isScalar() ? "0" : "c";
      return ctx.ref(n, e, idx);
    }
    List<String> a = new ArrayList<>();
    for (Node in : n.inputs()) {
      a.add(expr(in, fused, s, ctx, e, j));
    }
    if (n.op() == Op.BROADCAST) {
      return a.get(0);
    }
    Fn f = n.fn();
    if (f.helperName() != null) {
      helpers.use(f.helperName());
    }
    // a parenthesized spelling is an operator on values of the element type, and a helper takes
    // and returns that type; a Math function computes in double, so a float class rounds it
    String java = f.java(a);
    return f.helperName() != null || java.startsWith("(") ? java : type.fromDouble(java);
  }

  private void runtimeProduct(Kernel.Product k, Kernel.Gemm g, Ctx ctx, CodeBlock.Builder b) {
    ClassName gemm = ClassName.get(org.gradc.runtime.Gemm.class);
    String[] a = ctx.base(g.a());
    String[] w = ctx.base(g.b());
    String[] c = ctx.base(k.out());
    ctx.usesB = true;
    if (g.rows() > 1 && g.aTransposed()) {
      // the examples' rows stacked and contracted: Aᵀ · B over B·rows rows
      b.addStatement("$T.mul($L, $L, B * $L,$W$L, $L, 1, $L,$W$L, $L, $L,$W$L, $L, $L,$W$L)", gemm,
          g.m(), g.n(), g.rows(), a[0], a[1], g.m(), w[0], w[1], g.n(), c[0], c[1], g.n(),
          k.batchMean() ? "(" + type.name() + ") B" : type.spelled("1.0"));
      return;
    }
    if (g.rows() > 1) {
      // the examples' rows stacked: B·rows rows, each of the last dimension's length
      b.addStatement("$T.mul(B * $L, $L, $L,$W$L, $L, $L, 1,$W$L, $L, $L,$W$L, $L, $L,$W$L)", gemm,
          g.rows(), g.n(), g.k(), a[0], a[1], g.k(), w[0], w[1], g.n(), c[0], c[1], g.n(),
          type.spelled("1.0"));
      return;
    }
    if (g.aTransposed()) {
      b.addStatement("$T.mul($L, $L, B,$W$L, $L, 1, $L,$W$L, $L, $L,$W$L, $L, $L,$W$L)", gemm,
          g.m(), g.n(), a[0], a[1], a[2], w[0], w[1], w[2], c[0], c[1], g.n(),
          k.batchMean() ? "(" + type.name() + ") B" : type.spelled("1.0"));
    } else if (k.epilogue().isPresent()) {
      denseLayer(k, g, ctx, b, a, w, c);
    } else if (g.transposed()) {
      ctx.usesScratch = true;
      b.addStatement("$T.mulTransposed(B, $L, $L,$W$L, $L, $L, 1,$W$L, $L, $L,$W$L,$W$L, $L, $L)",
          gemm, g.n(), g.k(), a[0], a[1], a[2], w[0], w[1], g.k(), names.scratch(), c[0], c[1],
          c[2]);
    } else {
      b.addStatement("$T.mul(B, $L, $L,$W$L, $L, $L, 1,$W$L, $L, $L,$W$L, $L, $L,$W$L)", gemm,
          g.n(), g.k(), a[0], a[1], a[2], w[0], w[1], g.n(), c[0], c[1], c[2], type.spelled("1.0"));
    }
  }

  /**
   * A dense layer's call: the product, the bias and the activation in one kernel call, which
   * applies them to the product's rows while they are in the cache.
   */
  private void denseLayer(Kernel.Product k, Kernel.Gemm g, Ctx ctx, CodeBlock.Builder b,
      String[] a, String[] w, String[] c) {
    ClassName gemm = ClassName.get(org.gradc.runtime.Gemm.class);
    Kernel.Epilogue e = k.epilogue().orElseThrow();
    String[] bias = ctx.base(e.bias());
    ClassName act = ClassName.get(org.gradc.runtime.Activation.class);
    if (g.transposed()) {
      ctx.usesScratch = true;
      b.addStatement("$T.mulTransposed(B, $L, $L,$W$L, $L, $L, 1,$W$L, $L, $L,$W$L,$W$L, $L, $L,"
          + "$W$L, $L,$W$T.$L)", gemm, g.n(), g.k(), a[0], a[1], a[2], w[0], w[1], g.k(),
          names.scratch(), c[0], c[1], c[2], bias[0], bias[1], act, e.activation());
    } else {
      b.addStatement("$T.mul(B, $L, $L,$W$L, $L, $L, 1,$W$L, $L, $L,$W$L, $L, $L,$W$L, $L,$W$T.$L)",
          gemm, g.n(), g.k(), a[0], a[1], a[2], w[0], w[1], g.n(), c[0], c[1], c[2], bias[0],
          bias[1], act, e.activation());
    }
  }

  private void product(Kernel.Product k, Ctx ctx, CodeBlock.Builder b) {
    if (k.gemm().isPresent()) {
      runtimeProduct(k, k.gemm().get(), ctx, b);
      return;
    }
    Node prod = k.product();
    Node x = prod.input(0);
    Node y = prod.input(1);
    Node out = k.out();
    int m;
    int inner;
    int p;
    if (prod.op() == Op.OUTER) {
      m = x.shape().dim(0);
      inner = 1;
      p = y.shape().dim(0);
    } else {
      m = x.shape().rank() == 1 ? 1 : x.shape().dim(0);
      inner = x.shape().dim(x.shape().rank() - 1);
      p = y.shape().rank() == 1 ? 1 : y.shape().dim(1);
    }
    // element (i, t) of the left operand, and (i, j) of the result, as stored
    int rows = m;
    int cols = p;
    java.util.function.BinaryOperator<String> left = k.leftTransposed()
        ? (r, c) -> ctx.ref(k.left(), "e", add(mul(c, rows), r))
        : (r, c) -> ctx.ref(x, "e", add(mul(r, inner), c));
    java.util.function.BinaryOperator<String> result = k.outTransposed()
        ? (r, c) -> ctx.ref(out, "e", add(mul(c, rows), r))
        : (r, c) -> ctx.ref(out, "e", add(mul(r, cols), c));
    List<String> close = new ArrayList<>();
    if (k.batchSum()) {
      String j0 = open(b, close, "j", m * p);
      b.addStatement("$L = $L", ctx.ref(out, "e", j0), type.spelled("0.0"));
      closeAll(b, close);
    }
    if (prod.batched()) {
      ctx.usesB = true;
      b.beginControlFlow("for (int e = 0; e < B; e++)");
      close.add("e");
    }
    String i = open(b, close, "i", m);
    int depth = close.size();
    if (!k.batchSum() && p == 1 && inner > 1) {
      // a dot product per output element, summed in the order of the reference evaluator
      b.addStatement("$L s = $L", type.name(), type.spelled("0.0"));
      String t = open(b, close, "t", inner);
      b.addStatement("s += $L * $L", left.apply(i, t),
          ctx.ref(y, "e", add(mul(t, p), "0")));
      closeTo(b, close, depth);
      b.addStatement("$L = s", ctx.ref(out, "e", i));
    } else if (!k.batchSum() && inner == 1) {
      b.addStatement("$L a = $L", type.name(), left.apply(i, "0"));
      String j = open(b, close, "j", p);
      b.addStatement("$L = a * $L", result.apply(i, j), ctx.ref(y, "e", j));
    } else {
      if (!k.batchSum()) {
        String j = open(b, close, "j", p);
        b.addStatement("$L = $L", result.apply(i, j), type.spelled("0.0"));
        closeTo(b, close, depth);
      }
      String t = open(b, close, "t", inner);
      b.addStatement("$L a = $L", type.name(), left.apply(i, t));
      String j = open(b, close, "j", p);
      b.addStatement("$L += a * $L", result.apply(i, j),
          ctx.ref(y, "e", add(mul(t, p), j)));
    }
    closeAll(b, close);
    if (k.batchMean()) {
      String j0 = open(b, close, "j", m * p);
      b.addStatement("$L /= ($L) B", ctx.ref(out, "e", j0), type.name());
      closeAll(b, close);
    }
  }

  private void structural(Node n, Ctx ctx, CodeBlock.Builder b) {
    Node x = n.input(0);
    List<String> close = new ArrayList<>();
    if (n.op() == Op.BATCH_SUM || n.op() == Op.BATCH_MEAN) {
      batchReduction(n, ctx, b);
      return;
    }
    if (n.batched()) {
      ctx.usesB = true;
      b.beginControlFlow("for (int e = 0; e < B; e++)");
      close.add("e");
    }
    int depth = close.size();
    Shape in = x.shape();
    switch (n.op()) {
      case TRANSPOSE -> {
        String r = open(b, close, "r", in.dim(0));
        String c = open(b, close, "c", in.dim(1));
        b.addStatement("$L = $L", ctx.ref(n, "e", add(mul(c, in.dim(0)), r)),
            ctx.ref(x, "e", add(mul(r, in.dim(1)), c)));
      }
      case IM2COL, COL2IM, MAX_POOL, MAX_UNPOOL, AVG_POOL, AVG_UNPOOL -> WindowLoops.write(n, ctx, b);
      case INDEX -> {
        int size = n.shape().size();
        String j = open(b, close, "j", size);
        b.addStatement("$L = $L", ctx.ref(n, "e", j),
            ctx.ref(x, "e", add(String.valueOf(n.index() * size), j)));
      }
      case PLACE -> {
        int size = in.size();
        String j = open(b, close, "j", n.shape().size());
        b.addStatement("$L = $L", ctx.ref(n, "e", j), type.spelled("0.0"));
        closeTo(b, close, depth);
        j = open(b, close, "j", size);
        b.addStatement("$L = $L", ctx.ref(n, "e", add(String.valueOf(n.index() * size), j)),
            ctx.ref(x, "e", j));
      }
      case SUM -> {
        if (in.size() == 1) {
          // the sum of one element is that element
          b.addStatement("$L = $L", ctx.ref(n, "e", "0"), ctx.ref(x, "e", "0"));
          break;
        }
        b.addStatement("$L s = $L", type.name(), type.spelled("0.0"));
        String j = open(b, close, "j", in.size());
        b.addStatement("s += $L", ctx.ref(x, "e", j));
        closeTo(b, close, depth);
        b.addStatement("$L = s", ctx.ref(n, "e", "0"));
      }
      case SUM_ROWS -> {
        String c = open(b, close, "c", in.dim(1));
        b.addStatement("$L = $L", ctx.ref(n, "e", c), type.spelled("0.0"));
        closeTo(b, close, depth);
        String r = open(b, close, "r", in.dim(0));
        c = open(b, close, "c", in.dim(1));
        b.addStatement("$L += $L", ctx.ref(n, "e", c), ctx.ref(x, "e", add(mul(r, in.dim(1)), c)));
      }
      case SOFTMAX, LOG_SOFTMAX, LOGSUMEXP -> softmaxLike(n, ctx, b, close);
      // leaves, fused ops and reshapes (views) have no kernel of this kind; batch reductions are
      // written above
      case INPUT, TARGET, PARAM, CONST, NUMBER, BATCH_SIZE, UNARY, BINARY, BROADCAST, CUSTOM,
          MATMUL, OUTER, BATCH_SUM, BATCH_MEAN, RESHAPE ->
          throw new IllegalStateException("no structural kernel for " + n);
    }
    closeAll(b, close);
  }

  private void copy(Kernel.Copy k, Ctx ctx, CodeBlock.Builder b) {
    Storage.Arg dest = k.dest();
    Node n = k.out();
    ctx.arrays.add(dest.array());
    String array = ValueNames.array(dest.array());
    String offset = names.offset(dest);
    List<String> close = new ArrayList<>();
    if (dest.stride() > 0) {
      ctx.usesB = true;
      b.beginControlFlow("for (int e = 0; e < B; e++)");
      close.add("e");
      String j = open(b, close, "j", n.shape().size());
      b.addStatement("$L[$L] = $L", array, add(mul("e", dest.stride()), offset, j),
          ctx.ref(n, "e", j));
    } else {
      String j = open(b, close, "j", n.shape().size());
      b.addStatement("$L[$L] = $L", array, add(offset, j), ctx.ref(n, "e", j));
    }
    closeAll(b, close);
  }

  /** A batch sum or mean: zeroed, summed over the examples, scaled for a mean. */
  private void batchReduction(Node n, Ctx ctx, CodeBlock.Builder b) {
    Node x = n.input(0);
    List<String> close = new ArrayList<>();
    int size = n.shape().size();
    String j = open(b, close, "j", size);
    b.addStatement("$L = $L", ctx.ref(n, "e", j), type.spelled("0.0"));
    closeAll(b, close);
    ctx.usesB = true;
    b.beginControlFlow("for (int e = 0; e < B; e++)");
    close.add("e");
    j = open(b, close, "j", size);
    b.addStatement("$L += $L", ctx.ref(n, "e", j), ctx.ref(x, "e", j));
    closeAll(b, close);
    if (n.op() == Op.BATCH_MEAN) {
      b.addStatement("$L s = $L / B", type.name(), type.spelled("1.0"));
      j = open(b, close, "j", size);
      b.addStatement("$L *= s", ctx.ref(n, "e", j));
      closeAll(b, close);
    }
  }

  /** softmax, log_softmax or logsumexp along the last axis, row by row, shifted by the row max. */
  private void softmaxLike(Node n, Ctx ctx, CodeBlock.Builder b, List<String> close) {
    Node x = n.input(0);
    Shape in = x.shape();
    int len = in.dim(in.rank() - 1);
    String r = open(b, close, "r", in.size() / len);
    int rowDepth = close.size();
    String base = mul(r, len);
    b.addStatement("$L mx = $L.NEGATIVE_INFINITY", type.name(), type.box());
    String i = open(b, close, "i", len);
    b.addStatement("mx = Math.max(mx, $L)", ctx.ref(x, "e", add(base, i)));
    closeTo(b, close, rowDepth);
    b.addStatement("$L z = $L", type.name(), type.spelled("0.0"));
    i = open(b, close, "i", len);
    b.addStatement("z += $L", type.fromDouble("Math.exp(" + ctx.ref(x, "e", add(base, i)) + " - mx)"));
    closeTo(b, close, rowDepth);
    if (n.op() == Op.SOFTMAX) {
      i = open(b, close, "i", len);
      b.addStatement("$L = $L / z", ctx.ref(n, "e", add(base, i)),
          type.fromDouble("Math.exp(" + ctx.ref(x, "e", add(base, i)) + " - mx)"));
    } else if (n.op() == Op.LOG_SOFTMAX) {
      b.addStatement("$L logZ = $L", type.name(), type.fromDouble("Math.log(z)"));
      i = open(b, close, "i", len);
      b.addStatement("$L = ($L - mx) - logZ", ctx.ref(n, "e", add(base, i)),
          ctx.ref(x, "e", add(base, i)));
    } else {
      b.addStatement("$L = mx + $L", ctx.ref(n, "e", r), type.fromDouble("Math.log(z)"));
    }
  }
}
