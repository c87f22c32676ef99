package io.cob.model.timer;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.Objects;

/**
 * A timer that fires once, at a fixed instant.
 *
 * @param due the instant; it may lie in the past, in which case the timer is due at once
 */
public record DateSchedule(Instant due) implements TimerSchedule {

  static final String EXAMPLES =
      "an ISO-8601 date-time such as 2026-12-01T10:00:00Z, 2026-12-01T10:00:00+01:00"
          + " or 2026-12-01T10:00:00[Europe/Berlin]";

  /**
   * ISO_LOCAL_DATE_TIME with an optional offset and an optional [zone], each on its own.
   * DateTimeFormatter.ISO_DATE_TIME only accepts a [zone] after an offset.
   */
  private static final DateTimeFormatter FORMAT =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
          .optionalStart()
          .appendOffsetId()
          .optionalEnd()
          .optionalStart()
          .appendLiteral('[')
          .parseCaseSensitive()
          .appendZoneRegionId()
          .appendLiteral(']')
          .optionalEnd()
          .toFormatter(Locale.ROOT)
          .withChronology(IsoChronology.INSTANCE)
          .withResolverStyle(ResolverStyle.STRICT);

  public DateSchedule {
    Objects.requireNonNull(due, "due");
  }

  static DateSchedule parse(String text) {
    try {
      return new DateSchedule(parseDateTime(text));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "invalid timer date '" + text + "': expected " + EXAMPLES, e);
    }
  }

  /**
   * Parses an ISO-8601 date-time with offset and/or bracketed zone; a local date-time is UTC.
   *
   * @throws DateTimeParseException when the text is not such a date-time
   */
  static Instant parseDateTime(String text) {
    TemporalAccessor parsed = FORMAT.parseBest(text, ZonedDateTime::from, LocalDateTime::from);
    if (parsed instanceof ZonedDateTime zoned) {
      return zoned.toInstant();
    }
    return ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
  }

  /** The fixed instant, whatever {@code now} is. */
  @Override
  public Instant firstDue(Instant now) {
    return due;
  }
}
