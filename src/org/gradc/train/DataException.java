package org.gradc.train;

/**
 * A problem in a data or parameter file, located as {@code FILE:LINE:COL: MESSAGE} (line and
 * column 1-based; for CSV the column is the field's position in its row). Position 0 means the
 * whole file.
 */
public final class DataException extends Exception {
  private final String file;
  private final int line;
  private final int column;
  private final String detail;

  public DataException(String file, int line, int column, String detail) {
    super(format(file, line, column, detail));
    this.file = file;
    this.line = line;
    this.column = column;
    this.detail = detail;
  }

  /** A problem with the file as a whole. */
  public DataException(String file, String detail) {
    this(file, 0, 0, detail);
  }

  private static String format(String file, int line, int column, String detail) {
    if (line <= 0) {
      return file + ": " + detail;
    }
    return file + ":" + line + ":" + column + ": " + detail;
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** The message without the location. */
  public String detail() {
    return detail;
  }
}
