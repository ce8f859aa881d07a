package org.gradc.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestionsTest {
  private static final List<String> NAMES = List.of("W1", "b1", "w", "yhat", "hidden", "logits");

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "yhta   | ; did you mean 'yhat'?",
      "hiden  | ; did you mean 'hidden'?",
      "W      | ; did you mean 'w'?",
      "w1     | ; did you mean 'W1'?",
      "q      | ''",
      "lgoits | ; did you mean 'logits'?",
      "output | ''",
  })
  void suggestsOnlyCloseNames(String typo, String expected) {
    assertEquals(expected, Suggestions.didYouMean(typo, NAMES));
  }
}
