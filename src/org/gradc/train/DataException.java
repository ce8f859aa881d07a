package org.gradc.train;

/**
 * A problem in a data or parameter file, located as {@code FILE:LINE:COL: MESSAGE} (line and
 * column 1-based; for CSV the column is the field's position in its row). Position 0 means the
 * whole file.
 */
public final class DataException extends Exception {
  /** The file's name as the caller gave it. */
  private final String file;
  /** The 1-based line, or 0 for the whole file. */
  private final int line;
  /** The 1-based column, or 0 for the whole file. */
  private final int column;
  /** The message without the location. */
  private final String detail;

  /**
   * A problem at one place in a file; the message is {@code FILE:LINE:COL: DETAIL}.
   *
   * @param file the file's name as the caller gave it
   * @param line the 1-based line, or 0 for the whole file
   * @param column the 1-based column (for CSV, the field's position in its row), or 0
   * @param detail what is wrong, without the location
   */
  public DataException(String file, int line, int column, String detail) {
    super(format(file, line, column, detail));
    this.file = file;
    this.line = line;
    this.column = column;
    this.detail = detail;
  }

  /**
   * A problem with the file as a whole (it cannot be read, a parameter is missing); the message
   * is {@code FILE: DETAIL}.
   *
   * @param file the file's name as the caller gave it
   * @param detail what is wrong, without the location
   */
  public DataException(String file, String detail) {
    this(file, 0, 0, detail);
  }

  private static String format(String file, int line, int column, String detail) {
    if (line <= 0) {
      return file + ": " + detail;
    }
    return file + ":" + line + ":" + column + ": " + detail;
  }

  /**
   * The file the problem is in.
   *
   * @return its name as the caller gave it, e.g. the path of a CSV file
   */
  public String file() {
    return file;
  }

  /**
   * The line of the problem.
   *
   * @return the 1-based line, or 0 when the problem is with the whole file
   */
  public int line() {
    return line;
  }

  /**
   * The column of the problem; for CSV, the 1-based position of the field in its row.
   *
   * @return the 1-based column, or 0 when the problem is with the whole file
   */
  public int column() {
    return column;
  }

  /**
   * The message without the location.
   *
   * @return what is wrong: the part of {@link #getMessage()} after the location
   */
  public String detail() {
    return detail;
  }
}
