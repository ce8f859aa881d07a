package org.gradc.ir;

import java.util.List;

/**
 * A derivative rule the program gives for a function instead of the automatic one: the
 * attribute of a {@link Op#CUSTOM} node. Differentiation asks it for the vector-Jacobian product;
 * the rule builds it from ordinary ops, so the result can be differentiated again.
 */
public interface CustomRule {
  /**
   * The function's name, for printers and messages.
   *
   * @return the name
   */
  String name();

  /**
   * The function's value, built in {@code g} from its arguments (the forward body).
   *
   * @param g the graph to build in
   * @param args one node per parameter
   * @return the result node
   */
  Node forward(GraphBuilder g, List<Node> args);

  /**
   * The vector-Jacobian product: one contribution per argument, each of its argument's shape.
   *
   * @param g the graph to build in
   * @param args one node per parameter
   * @param result the function's value at {@code args}
   * @param cotangent the adjoint of the result
   * @return the contribution to each argument's adjoint, in parameter order
   */
  List<Node> vjp(GraphBuilder g, List<Node> args, Node result, Node cotangent);
}
