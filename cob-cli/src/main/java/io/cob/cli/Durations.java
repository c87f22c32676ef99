package io.cob.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as ISO-8601 ({@code PT30S}) or in short form ({@code 30s}, {@code 2m}, {@code
 * 1h}, {@code 500ms}).
 */
final class Durations implements ITypeConverter<Duration> {
  private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    Matcher m = SHORT.matcher(value.strip());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    try {
      Duration d = Duration.parse(value.strip());
      if (d.isNegative()) {
        throw new TypeConversionException("'" + value + "' is negative");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + value + "' is not a duration like PT30S or 30s");
    }
  }
}
