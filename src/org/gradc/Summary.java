package org.gradc;

import java.util.List;
import org.gradc.diag.UserText;
import org.gradc.sema.CheckedModel;

/** The description {@code gradc check} prints for a model. */
final class Summary {
  private static final String INDENT = "  ";
  private static final int LABEL = 14;

  private Summary() {}

  static String of(CheckedModel m) {
    StringBuilder b = new StringBuilder();
    b.append("model ").append(m.name()).append("  (").append(UserText.escape(m.file().name())).append(")\n");
    values(b, "inputs", m.inputs());
    values(b, "targets", m.targets());
    int nameWidth = m.params().stream().mapToInt(p -> p.name().length()).max().orElse(0);
    int shapeWidth = m.params().stream().mapToInt(p -> p.node().shape().toString().length()).max().orElse(0);
    for (int i = 0; i < m.params().size(); i++) {
      CheckedModel.Param p = m.params().get(i);
      label(b, i == 0 ? "params" : "");
      b.append(pad(p.name(), nameWidth)).append(' ').append(pad(p.node().shape().toString(), shapeWidth))
          .append("  ").append(p.init().describe()).append('\n');
    }
    values(b, "consts", m.consts());
    values(b, "intermediates", m.intermediates());
    values(b, "outputs", m.outputs());
    label(b, "loss");
    b.append(m.loss().shape()).append(" (scalar, mean over the batch)\n");
    label(b, "parameters");
    b.append(m.parameterCount()).append('\n');
    return b.toString();
  }

  private static void values(StringBuilder b, String label, List<CheckedModel.Value> values) {
    if (values.isEmpty()) {
      if (!label.equals("consts")) {
        label(b, label);
        b.append("(none)\n");
      }
      return;
    }
    for (int i = 0; i < values.size(); i++) {
      label(b, i == 0 ? label : "");
      b.append(values.get(i).name()).append(' ').append(values.get(i).node().shape()).append('\n');
    }
  }

  private static void label(StringBuilder b, String label) {
    b.append(INDENT).append(pad(label, LABEL));
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }
}
