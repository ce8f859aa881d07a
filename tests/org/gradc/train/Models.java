package org.gradc.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gradc.Gradc;
import org.gradc.runtime.CompiledModel;

/** How the tests get a {@link CompiledModel} from source: the generated code, via the façade. */
public final class Models {
  private Models() {}

  public static CompiledModel compile(String source) {
    return Gradc.compile(source);
  }

  public static CompiledModel compileFile(String path) {
    try {
      return compile(Files.readString(Path.of(path)));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** An example data set as gradc train reads it: Iris's species column as the one-hot target. */
  public static DataSet data(String csv, CompiledModel m) throws DataException {
    ColumnMap map = csv.endsWith("iris.csv") ? ColumnMap.DEFAULT.withLabel("y", "species", java.util.List.of())
        : ColumnMap.DEFAULT;
    return DataSet.readCsv(Path.of(csv), m, DataSet.Targets.REQUIRED, map, false);
  }
}
