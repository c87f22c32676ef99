package io.cob.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AwaitedAnswersTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final AwaitedAnswers<String, String> answers = new AwaitedAnswers<>(clock);

  @Test
  void shouldKeepAWaiterAfterItsAnswerUntilItsDeadlineSoThatADuplicateIsRoutedAlike() {
    answers.expect("k", "job-1", Duration.ofMinutes(1), String::equals);
    assertThat(answers.find("k")).contains("job-1");
    assertThat(answers.find("k")).contains("job-1");

    clock.advance(Duration.ofMinutes(2));
    answers.expect("other", "job-2", Duration.ofMinutes(1), String::equals);
    assertThat(answers.find("k")).as("purged after its deadline").isEmpty();
  }

  @Test
  void shouldRefuseAKeyThatAnotherLiveWaiterHoldsButLetTheSameWaiterRegisterAgain() {
    assertThat(answers.expect("lamp", "job-1", Duration.ofMinutes(1), String::equals)).isEmpty();
    assertThat(answers.expect("lamp", "job-1", Duration.ofMinutes(1), String::equals)).isEmpty();
    assertThat(answers.expect("lamp", "job-2", Duration.ofMinutes(1), String::equals))
        .contains("job-1");
    assertThat(answers.find("lamp")).contains("job-1");

    clock.advance(Duration.ofMinutes(1));
    assertThat(answers.expect("lamp", "job-2", Duration.ofMinutes(1), String::equals))
        .as("the first waiter's deadline passed")
        .isEmpty();
    assertThat(answers.find("lamp")).contains("job-2");
  }
}
