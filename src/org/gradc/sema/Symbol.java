package org.gradc.sema;

import java.util.Map;
import org.gradc.ir.Node;

/**
 * What a model-level name denotes: its value ({@code null} after an error in its definition, so
 * uses stay quiet instead of cascading) and, for a layer, its parameters by field ({@code W}, {@code b})
 * and its kind (null for other names).
 */
record Symbol(Node node, Map<String, Node> layerParams, LayerKinds.Kind layerKind) {
  boolean isLayer() {
    return !layerParams.isEmpty();
  }
}
