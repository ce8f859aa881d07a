package org.gradc.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.gradc.runtime.CompiledModel;
import org.junit.jupiter.api.Test;

/** Column maps and label columns: how CSV files with their own names feed a model. */
class ColumnMapTest {
  private static final CompiledModel XOR = Models.compileFile("examples/xor.grad");
  private static final CompiledModel THREE = Models.compile("""
      model Three {
        input x[2]
        target y[3]
        layer z = dense(x, 3)
        loss cross_entropy(z, y)
      }
      """);

  private static DataSet read(String csv, CompiledModel m, ColumnMap map) throws DataException {
    return DataSet.parseCsv("d.csv", csv, m, DataSet.Targets.REQUIRED, map, false);
  }

  @Test
  void parsesEntriesAndQuotedNames() {
    ColumnMap m = ColumnMap.parse("x=x1,x2  y=label");
    assertEquals(Map.of("x", List.of("x1", "x2"), "y", List.of("label")), m.columns());
    assertEquals(List.of("sepal length", "b,c"), ColumnMap.parse("x=\"sepal length\",\"b,c\"").columns().get("x"));
    assertEquals("x=x1,x2 y=label", m.toString());
    assertEquals(ColumnMap.DEFAULT, ColumnMap.parse("  "));
  }

  @Test
  void malformedEntriesAreRejected() {
    assertEquals("expected NAME=COLUMN[,COLUMN…], got 'x'",
        assertThrows(IllegalArgumentException.class, () -> ColumnMap.parse("x")).getMessage());
    assertEquals("empty column name in 'x=a,'",
        assertThrows(IllegalArgumentException.class, () -> ColumnMap.parse("x=a,")).getMessage());
    assertEquals("'x' is mapped twice",
        assertThrows(IllegalArgumentException.class, () -> ColumnMap.parse("x=a,b x=c,d")).getMessage());
  }

  @Test
  void mappedColumnsFeedTheirTensorsInOrder() throws DataException {
    DataSet d = read("label,x2,x1\n1,20,10\n0,40,30\n", XOR, ColumnMap.parse("x=x1,x2 y=label"));
    assertArrayEquals(new double[] {10, 20, 30, 40}, d.inputs());
    assertArrayEquals(new double[] {1, 0}, d.targets());
  }

  @Test
  void theOnlyInputTakesTheColumnsNoTargetUses() throws DataException {
    DataSet d = read("a,b,y[0]\n1,2,0\n", XOR, ColumnMap.DEFAULT);
    assertArrayEquals(new double[] {1, 2}, d.inputs());
  }

  @Test
  void errorsListTheColumnsFoundAndExpectedWithADidYouMean() {
    DataException e = assertThrows(DataException.class,
        () -> read("x1,x2,lable\n1,2,0\n", XOR, ColumnMap.parse("x=x1,x2 y=label")));
    assertEquals("d.csv:1:4: missing column 'label' for target y[1]; did you mean 'lable'?; the file has"
        + " x1, x2, lable; expected x1, x2, label", e.getMessage());
    DataException defaults = assertThrows(DataException.class, () -> read("x1,x2,x3,label\n1,2,3,0\n", XOR,
        ColumnMap.DEFAULT));
    assertEquals("d.csv:1:5: missing column 'x[0]' for input x[2]; the file has x1, x2, x3, label; expected"
        + " x[0], x[1], y[0] (--columns maps other names, e.g. x=x1,x2)", defaults.getMessage());
    DataException unknown = assertThrows(DataException.class,
        () -> read("a\n1\n", XOR, ColumnMap.parse("xx=a")));
    assertEquals("d.csv: --columns: model Xor has no input or target 'xx' (it has x, y)",
        unknown.getMessage());
    DataException count = assertThrows(DataException.class,
        () -> read("a\n1\n", THREE, ColumnMap.parse("y=a")));
    assertEquals("d.csv: --columns: 'y' is y[3], 3 values, but 1 column is given (a column of class labels"
        + " is given with --labels)", count.getMessage());
  }

  @Test
  void namesInANumericTargetPointToLabels() {
    DataException e = assertThrows(DataException.class,
        () -> read("a,b,kind\n1,2,tulip\n", XOR, ColumnMap.parse("y=kind")));
    assertEquals("d.csv:2:3: not a number: 'tulip' in column 'kind' (class labels are read with --labels)",
        e.getMessage());
  }

  @Test
  void stringLabelsAreSortedClassesOneHot() throws DataException {
    ColumnMap map = ColumnMap.DEFAULT.withLabel("y", "kind", List.of());
    DataSet d = read("x[0],x[1],kind\n1,2,tulip\n3,4,\"rose\"\n5,6, iris \n", THREE, map);
    assertEquals(Map.of("y", List.of("iris", "rose", "tulip")), d.classes());
    assertArrayEquals(new double[] {0, 0, 1, 0, 1, 0, 1, 0, 0}, d.targets());
  }

  @Test
  void integerLabelsAreClassIndices() throws DataException {
    ColumnMap map = ColumnMap.DEFAULT.withLabel("y", "c", List.of());
    DataSet d = read("x[0],x[1],c\n1,2,2\n3,4,0\n", THREE, map);
    assertEquals(List.of("0", "1", "2"), d.classes().get("y"));
    assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0}, d.targets());
    DataException big = assertThrows(DataException.class, () -> read("x[0],x[1],c\n1,2,0\n1,2,3\n", THREE, map));
    assertEquals("d.csv:3:3: label 3 in column 'c' is no class of target y[3], which takes 0 to 2", big.getMessage());
  }

  @Test
  void twoClassLabelsFeedAScalarTargetAsZeroOrOne() throws DataException {
    DataSet d = read("a,b,answer\n1,2,yes\n3,4,no\n", XOR, ColumnMap.DEFAULT.withLabel("y", "answer", List.of()));
    assertArrayEquals(new double[] {1, 0}, d.targets());
    assertEquals(List.of("no", "yes"), d.classes().get("y"));
  }

  @Test
  void classesMustFitTheTargetAndKnownClassesAreKept() {
    ColumnMap map = ColumnMap.DEFAULT.withLabel("y", "kind", List.of());
    DataException few = assertThrows(DataException.class, () -> read("x[0],x[1],kind\n1,2,a\n3,4,b\n", THREE, map));
    assertEquals("d.csv: column 'kind' has 2 classes (a, b), but target y[3] takes 3", few.getMessage());
    ColumnMap known = ColumnMap.DEFAULT.withLabel("y", "kind", List.of("iris", "rose", "tulip"));
    DataException unknown = assertThrows(DataException.class,
        () -> read("x[0],x[1],kind\n1,2,rose\n3,4,tulpi\n", THREE, known));
    assertEquals("d.csv:3:3: unknown class 'tulpi' in column 'kind'; the classes are iris, rose, tulip;"
        + " did you mean 'tulip'?", unknown.getMessage());
  }
}
