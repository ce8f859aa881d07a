package org.gradc.diag;

import java.util.Collection;
import java.util.Optional;

/**
 * "did you mean 'W1'?": the closest known name within a small edit distance, for every message
 * that names something unknown (a variable, an option, a CSV column).
 */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The hint to append to a message about an unknown {@code name}.
   *
   * @param name the unknown name as written
   * @param known the names that would have been accepted
   * @return {@code "; did you mean 'NAME'?"} for the closest known name, or an empty string
   */
  public static String didYouMean(String name, Collection<String> known) {
    return closest(name, known).map(s -> "; did you mean '" + s + "'?").orElse("");
  }

  /**
   * The known name closest to {@code name}: at most one edit per three characters (two at
   * most), ignoring case; ties go to the alphabetically first.
   *
   * @param name the unknown name as written
   * @param known the names that would have been accepted
   * @return the closest, or empty when none is close enough
   */
  public static Optional<String> closest(String name, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    // one edit per three characters (at most two): 'q' for 'w' would be noise, 'W' for 'w' is not
    int limit = Math.min(2, name.length() / 3);
    String lower = name.toLowerCase();
    for (String candidate : known) {
      // the distance is at least the difference in length: most candidates cost nothing
      if (Math.abs(candidate.length() - name.length()) > limit) {
        continue;
      }
      int d = distance(lower, candidate.toLowerCase());
      if (d <= limit && (d < bestDistance || d == bestDistance && candidate.compareTo(best) < 0)) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Edit distance counting insertions, deletions, substitutions and adjacent swaps ("yhta"). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
