package dev.parley.search.embedding;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The {@code Retry-After} header (RFC 9110): the same reading as the moderation provider's. */
final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * Delay seconds (OpenAI sends whole seconds; fractions are accepted) or an HTTP date, which counts from
     * {@code now} and is zero when already past. Null when absent or unreadable, so that the caller falls
     * back to its own backoff.
     */
    static Duration parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        try {
            BigDecimal seconds = new BigDecimal(trimmed);
            if (seconds.signum() < 0) {
                return null;
            }
            return Duration.ofMillis(seconds.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact());
        } catch (NumberFormatException | ArithmeticException notSeconds) {
            // perhaps a date
        }
        try {
            Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException notADate) {
            return null;
        }
    }
}
