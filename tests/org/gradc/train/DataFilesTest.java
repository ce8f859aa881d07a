package org.gradc.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gradc.runtime.CompiledModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV data sets (SPEC §2.2) and parameter files (SPEC §2.1's params object). */
class DataFilesTest {
  static final String SHAPES = """
      model Shapes {
        input  s
        input  v[2]
        input  m[2, 3]
        target y[2]
        param  w = 1
        param  b[2] = [0.5, -0.25]
        param  W[2, 3] = [[1, 2, 3], [4, 5, 6]]
        out = w * v + b + sum(m) + W[0][1]
        output out
        loss mse(out, y)
      }
      """;

  static CompiledModel shapes() {
    return Models.compile(SHAPES);
  }

  @Test
  void columnNamesFollowTheSpec() {
    CompiledModel m = shapes();
    assertEquals(List.of("s", "v[0]", "v[1]", "m[0][0]", "m[0][1]", "m[0][2]", "m[1][0]", "m[1][1]", "m[1][2]"),
        DataSet.columns(m.inputs()));
    assertEquals(List.of("y[0]", "y[1]"), DataSet.columns(m.targets()));
  }

  @Test
  void columnsInAnyOrderQuotesSpacesAndBlankLines() throws DataException {
    String csv = "\uFEFFy[1], m[1][2],m[1][1],m[1][0],\"m[0][2]\",m[0][1],m[0][0],v[1],v[0],s,y[0]\r\n"
        + "\r\n"
        + " 10 ,9,8,7,6,5,4,3,2,1,11\r\n"
        + "-1e2,.5,0.25,-3,\"2\",1,0,+7,6,5,4\r\n\r\n";
    DataSet d = DataSet.parseCsv("d.csv", csv, shapes(), DataSet.Targets.REQUIRED, false);
    assertEquals(2, d.examples());
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 5, 6, 7, 0, 1, 2, -3, 0.25, 0.5},
        d.inputs(), 0);
    assertArrayEquals(new double[] {11, 10, 4, -100}, d.targets(), 0);
    assertTrue(d.hasTargets());
  }

  @Test
  void targetsAreOptionalForPrediction() throws DataException {
    CompiledModel m = TrainerTest.linearWithoutTrainBlock();
    DataSet d = DataSet.parseCsv("p.csv", "x\n1\n2\n", m, DataSet.Targets.OPTIONAL, false);
    assertFalse(d.hasTargets());
    assertEquals(0, d.targets().length);
    DataException e = assertThrows(DataException.class,
        () -> DataSet.parseCsv("p.csv", "x\n1\n", m, DataSet.Targets.REQUIRED, false));
    assertEquals("p.csv:1:2: missing column 'y' for target y[]; the file has x; expected x, y", e.getMessage());
  }

  private static String error(String csv, boolean ignoreExtra) {
    CompiledModel m = shapes();
    return assertThrows(DataException.class,
        () -> DataSet.parseCsv("d.csv", csv, m, DataSet.Targets.REQUIRED, ignoreExtra)).getMessage();
  }

  private static final String HEADER = "s,v[0],v[1],m[0][0],m[0][1],m[0][2],m[1][0],m[1][1],m[1][2],y[0],y[1]";

  @Test
  void errorsNameFileLineAndColumn() {
    assertEquals("d.csv:1:1: empty file: expected a header row naming the columns", error("", false));
    assertEquals("d.csv:1:1: empty file: expected a header row naming the columns", error("\n \n", false));
    assertEquals("d.csv:1:1: no data rows after the header", error(HEADER + "\n\n", false));
    assertEquals("d.csv:3:3: not a number: 'abc' in column 'v[1]'",
        error(HEADER + "\n1,2,3,4,5,6,7,8,9,10,11\n1,2,abc,4,5,6,7,8,9,10,11\n", false));
    assertEquals("d.csv:2:1: not a number: '' in column 's'",
        error(HEADER + "\n,2,3,4,5,6,7,8,9,10,11\n", false));
    assertEquals("d.csv:2:2: not a number: 'NaN' in column 'v[0]'",
        error(HEADER + "\n1,NaN,3,4,5,6,7,8,9,10,11\n", false));
    assertEquals("d.csv:2:11: ragged row: 10 fields, but the header has 11",
        error(HEADER + "\n1,2,3,4,5,6,7,8,9,10\n", false));
    assertEquals("d.csv:2:12: ragged row: 12 fields, but the header has 11",
        error(HEADER + "\n1,2,3,4,5,6,7,8,9,10,11,12\n", false));
    assertEquals("d.csv:1:12: missing column 'm[1][2]' for input m[2, 3]; the file has s, v[0], v[1],"
        + " m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], y[0], y[1], z; expected s, v[0], v[1], m[0][0], m[0][1],"
        + " m[0][2], m[1][0], m[1][1], m[1][2], y[0], y[1]",
        error(HEADER.replace("m[1][2],", "") + ",z\n", true));
    assertEquals("d.csv:1:12: unexpected column 'z': model Shapes has no such input or target"
        + " (--ignore-extra skips it)", error(HEADER + ",z\n1,2,3,4,5,6,7,8,9,10,11,12\n", false));
    assertEquals("d.csv:1:3: duplicate column 's' (also column 1)", error("s,v[0],s\n", false));
    assertEquals("d.csv:2:4: unterminated quoted field", error(HEADER + "\n1,2,3,\"4\n", false));
  }

  @Test
  void extraColumnsCanBeIgnored() throws DataException {
    DataSet d = DataSet.parseCsv("d.csv", "id," + HEADER + ",note\n7,1,2,3,4,5,6,7,8,9,10,11,hello\n",
        shapes(), DataSet.Targets.REQUIRED, true);
    assertEquals(1, d.examples());
    assertArrayEquals(new double[] {10, 11}, d.targets(), 0);
  }

  @Test
  void paramsJsonHasTheSpecShapeAndRoundTripsExactly(@TempDir Path dir) throws IOException, DataException {
    CompiledModel m = shapes();
    double[] theta = {0.1 + 0.2, -1e-300, 1.0 / 3, 2, 3, 4, 5, 6, Math.PI};
    String json = ParamsFile.toJson(m, theta);
    assertEquals("""
        {
          "w" : 0.30000000000000004,
          "b" : [ -1.0E-300, 0.3333333333333333 ],
          "W" : [ [ 2.0, 3.0, 4.0 ], [ 5.0, 6.0, 3.141592653589793 ] ]
        }
        """, json);
    Path p = dir.resolve("p.json");
    ParamsFile.write(p, m, theta);
    assertArrayEquals(theta, ParamsFile.read(p, m), 0);
    try (var files = Files.list(dir)) {
      assertEquals(List.of(p), files.toList(), "no temporary file left behind");
    }
    // an eval values file's {"params": …} wrapper is accepted too
    assertArrayEquals(theta, ParamsFile.parse("v.json", "{\"params\": " + json + ", \"batch\": {}}", m), 0);
  }

  private static String paramsError(String json) {
    CompiledModel m = shapes();
    return assertThrows(DataException.class, () -> ParamsFile.parse("p.json", json, m)).getMessage();
  }

  @Test
  void paramsErrors() {
    assertEquals("p.json: missing parameter 'W' [2, 3] of model Shapes",
        paramsError("{\"w\": 1, \"b\": [1, 2]}"));
    assertEquals("p.json: b: expected shape [2], but got 3 values",
        paramsError("{\"w\": 1, \"b\": [1, 2, 3], \"W\": [[1, 2, 3], [4, 5, 6]]}"));
    assertEquals("p.json: W[1]: expected shape [2, 3], but row 1 has 2 values", paramsError("{\"w\": 1, \"b\": [1, 2], \"W\": [[1, 2, 3], [4, 5]]}"));
    assertEquals("p.json: w: expected a number (a scalar), but got the string \"a\"",
        paramsError("{\"w\": \"a\", \"b\": [1, 2], \"W\": [[1, 2, 3], [4, 5, 6]]}"));
    assertEquals("p.json: unknown parameter 'q': model Shapes has w, b, W",
        paramsError("{\"w\": 1, \"b\": [1, 2], \"W\": [[1, 2, 3], [4, 5, 6]], \"q\": 0}"));
    assertTrue(paramsError("{\"w\": 1,\n \"b\": [1, 2,]}").startsWith("p.json:2:"), paramsError("{\"w\": 1,\n \"b\": [1, 2,]}"));
    assertEquals("p.json: expected a JSON object mapping parameter names to values", paramsError("[1, 2]"));
  }

  @Test
  void dataSetsAreValues() {
    DataSet a = new DataSet("d.csv", 2, new double[] {1, 2}, new double[] {3, 4}, true);
    DataSet b = new DataSet("d.csv", 2, new double[] {1, 2}, new double[] {3, 4}, true);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals("DataSet[d.csv: 2 examples, 2 input values, 2 target values]", a.toString());
    assertEquals("DataSet[d.csv: 2 examples, 2 input values, no targets]",
        new DataSet("d.csv", 2, new double[] {1, 2}, new double[0], false).toString());
    assertTrue(!a.equals(new DataSet("d.csv", 2, new double[] {1, 5}, new double[] {3, 4}, true)));
  }
}
