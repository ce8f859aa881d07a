package org.gradc.sema;

import java.util.Collection;
import java.util.Optional;

/** "did you mean 'W1'?": the closest known name within a small edit distance. */
final class Suggestions {
  private Suggestions() {}

  static String didYouMean(String name, Collection<String> known) {
    return closest(name, known).map(s -> "; did you mean '" + s + "'?").orElse("");
  }

  static Optional<String> closest(String name, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    int limit = Math.max(1, Math.min(2, name.length() / 3));
    for (String candidate : known.stream().sorted().toList()) {
      int d = distance(name.toLowerCase(), candidate.toLowerCase());
      if (d <= limit && d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
