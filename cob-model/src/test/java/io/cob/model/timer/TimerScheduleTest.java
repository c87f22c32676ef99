package io.cob.model.timer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.model.TimerSpec.Kind;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimerScheduleTest {

  private static final Instant NOW = Instant.parse("2026-01-31T12:00:00Z");

  @Nested
  class Durations {

    @Test
    void shouldFireSecondsAfterStart() {
      TimerSchedule schedule = TimerSchedule.parse(Kind.DURATION, "PT10S");

      assertThat(schedule).isEqualTo(new DurationSchedule("PT10S"));
      assertThat(schedule.firstDue(NOW)).isEqualTo(Instant.parse("2026-01-31T12:00:10Z"));
    }

    @Test
    void shouldAddDaysAndTimeTogether() {
      TimerSchedule schedule = TimerSchedule.parse(Kind.DURATION, "P1DT2H");

      assertThat(((DurationSchedule) schedule).duration()).isEqualTo("P1DT2H");
      assertThat(schedule.firstDue(NOW)).isEqualTo(Instant.parse("2026-02-01T14:00:00Z"));
      assertThat(TimerSchedule.parse(Kind.DURATION, "P1D").firstDue(NOW))
          .isEqualTo(Instant.parse("2026-02-01T12:00:00Z"));
    }

    @Test
    void shouldAddCalendarMonthsAndYearsInUtc() {
      assertThat(TimerSchedule.parse(Kind.DURATION, "P1M").firstDue(NOW))
          .isEqualTo(Instant.parse("2026-02-28T12:00:00Z"));
      assertThat(TimerSchedule.parse(Kind.DURATION, "P1Y").firstDue(NOW))
          .isEqualTo(Instant.parse("2027-01-31T12:00:00Z"));
      assertThat(TimerSchedule.parse(Kind.DURATION, "P1Y2M3DT4H").firstDue(NOW))
          .isEqualTo(Instant.parse("2027-04-03T16:00:00Z"));
    }

    @Test
    void shouldIgnoreSurroundingWhiteSpaceAndAcceptFractions() {
      assertThat(TimerSchedule.parse(Kind.DURATION, "  PT0.5S\n").firstDue(NOW))
          .isEqualTo(Instant.parse("2026-01-31T12:00:00.500Z"));
    }

    @Test
    void shouldAllowZeroDuration() {
      assertThat(TimerSchedule.parse(Kind.DURATION, "PT0S").firstDue(NOW)).isEqualTo(NOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10s", "P", "PT", "P1DT", "PT1D", "R3/PT10S", "2026-12-01T10:00:00Z"})
    void shouldRejectMalformedDuration(String value) {
      assertThatThrownBy(() -> TimerSchedule.parse(Kind.DURATION, value))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid timer duration '" + value + "'")
          .hasMessageContaining("ISO-8601 duration");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-PT5S", "PT-5S", "P-1D"})
    void shouldRejectNegativeDuration(String value) {
      assertThatThrownBy(() -> TimerSchedule.parse(Kind.DURATION, value))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + value + "'")
          .hasMessageContaining("negative");
    }
  }

  @Nested
  class Dates {

    @Test
    void shouldParseUtcDateTime() {
      TimerSchedule schedule = TimerSchedule.parse(Kind.DATE, "2026-12-01T10:00:00Z");

      assertThat(schedule).isEqualTo(new DateSchedule(Instant.parse("2026-12-01T10:00:00Z")));
      assertThat(schedule.firstDue(NOW)).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
    }

    @Test
    void shouldParseDateTimeWithOffset() {
      assertThat(TimerSchedule.parse(Kind.DATE, "2026-12-01T10:00:00+01:00").firstDue(NOW))
          .isEqualTo(Instant.parse("2026-12-01T09:00:00Z"));
    }

    @Test
    void shouldParseDateTimeWithRegionZone() {
      // Berlin is UTC+1 in winter and UTC+2 in summer.
      assertThat(TimerSchedule.parse(Kind.DATE, "2026-12-01T10:00:00[Europe/Berlin]").firstDue(NOW))
          .isEqualTo(Instant.parse("2026-12-01T09:00:00Z"));
      assertThat(TimerSchedule.parse(Kind.DATE, "2026-07-01T10:00:00[Europe/Berlin]").firstDue(NOW))
          .isEqualTo(Instant.parse("2026-07-01T08:00:00Z"));
      assertThat(
              TimerSchedule.parse(Kind.DATE, "2026-12-01T10:00:00+01:00[Europe/Berlin]")
                  .firstDue(NOW))
          .isEqualTo(Instant.parse("2026-12-01T09:00:00Z"));
    }

    @Test
    void shouldTakeLocalDateTimeAsUtc() {
      assertThat(TimerSchedule.parse(Kind.DATE, "2026-12-01T10:00:00").firstDue(NOW))
          .isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
    }

    @Test
    void shouldKeepDateInThePastAsDueAtOnce() {
      assertThat(TimerSchedule.parse(Kind.DATE, "2020-01-01T00:00:00Z").firstDue(NOW))
          .isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "2026-12-01",
          "tomorrow",
          "2026-13-01T10:00:00Z",
          "2026-02-30T10:00:00Z",
          "2026-12-01T10:00:00[Mars/Olympus]",
          "PT10S",
          "10:00:00"
        })
    void shouldRejectMalformedDate(String value) {
      assertThatThrownBy(() -> TimerSchedule.parse(Kind.DATE, value))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid timer date '" + value + "'")
          .hasMessageContaining("ISO-8601 date-time");
    }
  }

  @Nested
  class Cycles {

    @Test
    void shouldParseBoundedCycle() {
      CycleSchedule schedule = (CycleSchedule) TimerSchedule.parse(Kind.CYCLE, "R3/PT10S");

      assertThat(schedule.repetitions()).isEqualTo(3);
      assertThat(schedule.interval()).isEqualTo("PT10S");
      assertThat(schedule.start()).isNull();
      assertThat(schedule.isUnbounded()).isFalse();
      assertThat(schedule.firstDue(NOW)).isEqualTo(Instant.parse("2026-01-31T12:00:10Z"));
    }

    @Test
    void shouldParseUnboundedCycle() {
      CycleSchedule schedule = (CycleSchedule) TimerSchedule.parse(Kind.CYCLE, "R/PT1H");

      assertThat(schedule.repetitions()).isEqualTo(CycleSchedule.UNBOUNDED).isEqualTo(-1);
      assertThat(schedule.isUnbounded()).isTrue();
      assertThat(schedule.interval()).isEqualTo("PT1H");
      assertThat(schedule.firstDue(NOW)).isEqualTo(Instant.parse("2026-01-31T13:00:00Z"));
    }

    @Test
    void shouldTreatBareDurationAsUnboundedCycle() {
      assertThat(TimerSchedule.parse(Kind.CYCLE, "PT10S"))
          .isEqualTo(new CycleSchedule(CycleSchedule.UNBOUNDED, "PT10S", null));
    }

    @Test
    void shouldStartCycleAtFutureStart() {
      CycleSchedule schedule =
          (CycleSchedule) TimerSchedule.parse(Kind.CYCLE, "R5/2026-12-01T10:00:00Z/PT1H");

      assertThat(schedule.repetitions()).isEqualTo(5);
      assertThat(schedule.interval()).isEqualTo("PT1H");
      assertThat(schedule.start()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
      assertThat(schedule.firstDue(NOW)).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
    }

    @Test
    void shouldStartCycleAtStartEqualToNow() {
      CycleSchedule schedule =
          (CycleSchedule) TimerSchedule.parse(Kind.CYCLE, "R/2026-01-31T12:00:00Z/PT1H");

      assertThat(schedule.firstDue(NOW)).isEqualTo(NOW);
    }

    @Test
    void shouldSkipToNextGridOccurrenceWhenStartIsPast() {
      CycleSchedule schedule =
          (CycleSchedule) TimerSchedule.parse(Kind.CYCLE, "R/2026-01-01T11:30:00Z/PT1H");

      assertThat(schedule.firstDue(NOW)).isEqualTo(Instant.parse("2026-01-31T12:30:00Z"));
      assertThat(schedule.firstDue(Instant.parse("2026-01-31T12:30:00Z")))
          .isEqualTo(Instant.parse("2026-01-31T12:30:00Z"));
    }

    @Test
    void shouldSkipToNextMonthlyOccurrenceWithoutDrift() {
      CycleSchedule schedule =
          (CycleSchedule) TimerSchedule.parse(Kind.CYCLE, "R/2025-10-31T08:00:00Z/P1M");

      // Oct 31 + 3 months = Jan 31, not Jan 28 as stepping month by month through Nov 30 would.
      assertThat(schedule.firstDue(Instant.parse("2026-01-15T00:00:00Z")))
          .isEqualTo(Instant.parse("2026-01-31T08:00:00Z"));
    }

    @Test
    void shouldParseStartWithOffsetAndZone() {
      CycleSchedule schedule =
          (CycleSchedule) TimerSchedule.parse(Kind.CYCLE, "R2/2026-12-01T10:00:00+01:00/P1D");

      assertThat(schedule.start()).isEqualTo(Instant.parse("2026-12-01T09:00:00Z"));
      assertThat(schedule.interval()).isEqualTo("P1D");
    }

    @Test
    void shouldComputeNextDueFromPreviousDue() {
      assertThat(TimerSchedule.nextDue(Instant.parse("2026-01-31T12:00:00Z"), "PT10S"))
          .isEqualTo(Instant.parse("2026-01-31T12:00:10Z"));
      assertThat(TimerSchedule.nextDue(Instant.parse("2026-01-31T12:00:00Z"), "P1DT1H"))
          .isEqualTo(Instant.parse("2026-02-01T13:00:00Z"));
      assertThat(TimerSchedule.nextDue(Instant.parse("2026-01-31T12:00:00Z"), "P1M"))
          .isEqualTo(Instant.parse("2026-02-28T12:00:00Z"));
    }

    @Test
    void shouldRejectMalformedIntervalInNextDue() {
      assertThatThrownBy(() -> TimerSchedule.nextDue(NOW, "PT0S"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'PT0S'")
          .hasMessageContaining("zero");
      assertThatThrownBy(() -> TimerSchedule.nextDue(NOW, "hourly"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'hourly'");
    }

    @Test
    void shouldRejectCronExpression() {
      assertThatThrownBy(() -> TimerSchedule.parse(Kind.CYCLE, "0 0 9 * * ?"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'0 0 9 * * ?'")
          .hasMessageContaining("cron expressions are not supported");
    }

    @Test
    void shouldRejectZeroRepetitions() {
      assertThatThrownBy(() -> TimerSchedule.parse(Kind.CYCLE, "R0/PT10S"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'R0/PT10S'")
          .hasMessageContaining("at least 1");
    }

    @Test
    void shouldRejectNonNumericRepetitions() {
      assertThatThrownBy(() -> TimerSchedule.parse(Kind.CYCLE, "Rx/PT10S"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'Rx/PT10S'")
          .hasMessageContaining("not a number");
    }

    @Test
    void shouldRejectZeroInterval() {
      assertThatThrownBy(() -> TimerSchedule.parse(Kind.CYCLE, "R3/PT0S"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'R3/PT0S'")
          .hasMessageContaining("longer than zero");
    }

    @Test
    void shouldRejectMalformedInterval() {
      assertThatThrownBy(() -> TimerSchedule.parse(Kind.CYCLE, "R3/10s"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'R3/10s'")
          .hasMessageContaining("interval '10s'");
    }

    @Test
    void shouldRejectMalformedStart() {
      assertThatThrownBy(() -> TimerSchedule.parse(Kind.CYCLE, "R3/2026-12-01/PT1H"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'R3/2026-12-01/PT1H'")
          .hasMessageContaining("start '2026-12-01'");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"R3/2026-12-01T10:00:00Z/2026-12-02T10:00:00Z", "R3/PT1H/2026-12-02T10:00:00Z"})
    void shouldRejectIntervalsWithEnd(String value) {
      assertThatThrownBy(() -> TimerSchedule.parse(Kind.CYCLE, value))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + value + "'")
          .hasMessageContaining("R[n]/<start>/<duration>");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"every hour", "hourly", "R3", "R3/", "R3/a/b/c", "2026-12-01T10:00:00Z"})
    void shouldRejectMalformedCycle(String value) {
      assertThatThrownBy(() -> TimerSchedule.parse(Kind.CYCLE, value))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid timer cycle '" + value + "'");
    }

    @Test
    void shouldRejectInvalidRecordComponents() {
      assertThatThrownBy(() -> new CycleSchedule(0, "PT1S", null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least 1");
      assertThatThrownBy(() -> new CycleSchedule(1, "PT0S", null))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void shouldRejectEmptyValue(String value) {
    assertThatThrownBy(() -> TimerSchedule.parse(Kind.CYCLE, value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timer cycle value is empty");
  }

  @Test
  void shouldRejectNullValue() {
    assertThatThrownBy(() -> TimerSchedule.parse(Kind.DATE, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timer date value is empty");
  }
}
