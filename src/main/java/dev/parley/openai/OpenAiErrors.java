package dev.parley.openai;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** What the OpenAI clients (moderation, embeddings) read from an error answer. */
public final class OpenAiErrors {

    private static final int MAX_ERROR_MESSAGE = 300;

    private OpenAiErrors() {
    }

    /**
     * A {@code Retry-After} value: delay seconds (OpenAI sends whole seconds; fractions are accepted) or
     * an HTTP date, which counts from {@code now} and is zero when already past. Null when absent or
     * unreadable, so the caller falls back to its own backoff.
     */
    public static Duration retryAfter(String value, Instant now) {
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

    /**
     * "{@code service} answered {@code status}" and OpenAI's own explanation, shortened, without the
     * key even if the explanation quotes it, and never the raw body, which could be anything.
     */
    public static String describe(String service, int status, byte[] body, String apiKey, JsonMapper json) {
        String message = service + " answered " + status;
        String detail = errorMessage(body, json);
        if (detail == null || detail.isBlank()) {
            return message;
        }
        if (apiKey != null && !apiKey.isBlank()) {
            detail = detail.replace(apiKey.trim(), "***");
        }
        if (detail.length() > MAX_ERROR_MESSAGE) {
            detail = detail.substring(0, MAX_ERROR_MESSAGE) + "...";
        }
        return message + ": " + detail;
    }

    /** {@code error.message} of OpenAI's error body, or null. */
    private static String errorMessage(byte[] body, JsonMapper json) {
        try {
            JsonNode root = body == null || body.length == 0 ? null : json.readValue(body, JsonNode.class);
            JsonNode error = root != null && root.isObject() ? root.get("error") : null;
            JsonNode message = error != null && error.isObject() ? error.get("message") : null;
            return message != null && message.isString() ? message.getStringValue() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
