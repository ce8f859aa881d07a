package org.gradc.codegen;

import static org.gradc.codegen.Comments.comment;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.gradc.ir.Node;
import org.gradc.ir.Numbers;
import org.gradc.lower.Plan;

/**
 * The fields of a generated class: widths, parameter offsets, the workspace layout and the
 * constants' values (in nested holder classes when there are many).
 */
final class ClassMembers {
  /** Characters per string literal (a class file holds at most 65,535 bytes in one). */
  static final int CHUNK = 60_000;

  private final Plan plan;
  private final ValueNames names;
  private final Helpers helpers;
  private final ElementType element;

  ClassMembers(Plan plan, ValueNames names, Helpers helpers, ElementType element) {
    this.plan = plan;
    this.names = names;
    this.helpers = helpers;
    this.element = element;
  }

  /** Adds the widths, offsets, constants and LAYOUT to {@code type}. */
  void addTo(TypeSpec.Builder type) {
    type.addField(FieldSpec.builder(TypeName.INT, "PARAMETER_COUNT", Modifier.PUBLIC,
        Modifier.STATIC, Modifier.FINAL).initializer("$L", plan.parameterCount()).build());
    type.addField(FieldSpec.builder(TypeName.INT, "INPUT_WIDTH", Modifier.PUBLIC,
        Modifier.STATIC, Modifier.FINAL).initializer("$L", plan.inputWidth()).build());
    type.addField(FieldSpec.builder(TypeName.INT, "TARGET_WIDTH", Modifier.PUBLIC,
        Modifier.STATIC, Modifier.FINAL).initializer("$L", plan.targetWidth()).build());
    type.addField(FieldSpec.builder(TypeName.INT, "OUTPUT_WIDTH", Modifier.PUBLIC,
        Modifier.STATIC, Modifier.FINAL).initializer("$L", plan.outputWidth()).build());
    for (Plan.Slot p : plan.params()) {
      type.addField(FieldSpec.builder(TypeName.INT, names.paramOffset(p.offset()),
              Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("Offset of $L $L in theta and grad ($L values).\n", comment(p.name()),
              p.node().shape(), p.size())
          .initializer("$L", p.offset())
          .build());
    }
    addConstantValues(type);
    StringBuilder layout = new StringBuilder();
    for (Plan.BufferSpec b : plan.buffers()) {
      layout.append(layout.length() == 0 ? "" : " ").append(b.size()).append(b.batched() ? "b" : "");
    }
    if (plan.scratchSize() > 0) {
      layout.append(layout.length() == 0 ? "" : " ").append(plan.scratchSize());
    }
    List<String> parts = chunks(layout.toString(), ' ');
    type.addField(FieldSpec.builder(String.class, "LAYOUT", Modifier.PRIVATE, Modifier.STATIC,
            Modifier.FINAL)
        .addJavadoc("$L", layoutDoc())
        .initializer(parts.size() == 1 ? CodeBlock.of("$S", parts.get(0))
            : CodeBlock.of("String.join($S, $L)", "", literals(parts)))
        .build());
  }

  /**
   * What LAYOUT says, for a reader: each workspace array, its size and the values it holds in
   * turn (buffers are reused once a value is dead).
   */
  private String layoutDoc() {
    StringBuilder d = new StringBuilder("The workspace arrays ws[i] and the values each holds in"
        + " turn. LAYOUT gives their sizes: \"4b\" is 4 elements per example of the batch, \"4\""
        + " is 4 in all.\n<ul>\n");
    for (Plan.BufferSpec b : plan.buffers()) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < b.nodes().size() && i < MAX_LISTED; i++) {
        values.add(names.value(b.nodes().get(i)));
      }
      String more = b.nodes().size() > MAX_LISTED ? ", …" : "";
      d.append("<li>ws[").append(b.index()).append("]: ").append(b.size())
          .append(b.batched() ? " per example" : "").append(", holds ")
          .append(String.join(", ", values)).append(more).append("</li>\n");
    }
    if (plan.scratchSize() > 0) {
      d.append("<li>ws[").append(plan.buffers().size()).append("]: ").append(plan.scratchSize())
          .append(", transposed weights for the products</li>\n");
    }
    return d.append("</ul>\n").toString();
  }

  /** Values listed per workspace array in the layout's description. */
  private static final int MAX_LISTED = 8;

  /**
   * The constants' values, each a static array parsed from its text once ({@code doubles("0.5
   * -1 2")}, text longer than {@link #CHUNK} in several literals). When initializing them all
   * would make the class initializer larger than {@link Plan#METHOD_BYTES}, they are held in
   * nested classes {@code Constants0}, ... of that size each, named after their first constant.
   */
  private void addConstantValues(TypeSpec.Builder type) {
    int count = plan.constants().size();
    if (count == 0) {
      return;
    }
    helpers.use(element.parser());
    List<FieldSpec> fields = new ArrayList<>();
    List<Integer> costs = new ArrayList<>();
    int total = 0;
    for (int i = 0; i < count; i++) {
      Node c = plan.constants().get(i);
      StringBuilder values = new StringBuilder();
      for (double v : c.constantValues()) {
        values.append(values.length() == 0 ? "" : " ").append(Numbers.shortest(v));
      }
      List<String> parts = chunks(values.toString(), ' ');
      // per constant: ldc/anewarray for the arguments, one ldc and aastore per literal,
      // invokestatic, putstatic
      int cost = 16 + 8 * parts.size();
      costs.add(cost);
      total += cost;
      fields.add(FieldSpec.builder(element.array(), names.constantField(i), Modifier.STATIC,
              Modifier.FINAL)
          .addJavadoc("The constant $L $L.\n", comment(c.name()), c.shape())
          .initializer("$L($L)", element.parser(), literals(parts))
          .build());
    }
    if (total <= Plan.METHOD_BYTES) {
      fields.forEach(type::addField);
      return;
    }
    int i = 0;
    while (i < count) {
      String holder = names.allocate("Constants" + i, "holder:" + i);
      TypeSpec.Builder nested = TypeSpec.classBuilder(holder)
          .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("Constants of the model, initialized when first used.\n");
      int bytes = 0;
      do {
        names.holdConstant(i, holder);
        nested.addField(fields.get(i));
        bytes += costs.get(i);
        i++;
      } while (i < count && bytes + costs.get(i) <= Plan.METHOD_BYTES);
      type.addType(nested.build());
    }
  }

  /** {@code text} in pieces of at most {@link #CHUNK} characters, cut before a separator. */
  static List<String> chunks(String text, char separator) {
    List<String> out = new ArrayList<>();
    int from = 0;
    while (text.length() - from > CHUNK) {
      int cut = text.lastIndexOf(separator, from + CHUNK);
      if (cut <= from) {
        cut = from + CHUNK;
      }
      out.add(text.substring(from, cut));
      from = cut;
    }
    out.add(text.substring(from));
    return out;
  }

  private static CodeBlock literals(List<String> parts) {
    List<CodeBlock> blocks = new ArrayList<>();
    for (String p : parts) {
      blocks.add(CodeBlock.of("$S", p));
    }
    return CodeBlock.join(blocks, ",$W");
  }
}
