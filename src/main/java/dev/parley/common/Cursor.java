package dev.parley.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An opaque keyset position: the sort-key values of the last row a client saw, base64url-encoded.
 * Clients must not build cursors; one that does not decode is a 400.
 */
public record Cursor(List<String> keys) {

    private static final Pattern SEPARATOR = Pattern.compile("\\|");

    public static Cursor of(Object... keys) {
        return new Cursor(java.util.Arrays.stream(keys).map(String::valueOf).toList());
    }

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(String.join("|", keys).getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a client's cursor that must carry exactly {@code parts} keys. */
    public static Cursor decode(String encoded, int parts) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
            String[] keys = SEPARATOR.split(text, -1);
            if (keys.length != parts) {
                throw invalid();
            }
            return new Cursor(List.of(keys));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    public long longAt(int index) {
        try {
            return Long.parseLong(keys.get(index));
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    /** A double written by {@link #of} ({@code Double.toString} round-trips exactly). */
    public double doubleAt(int index) {
        try {
            double value = Double.parseDouble(keys.get(index));
            if (!Double.isFinite(value)) {
                throw invalid();
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    public java.time.Instant instantAt(int index) {
        try {
            return java.time.Instant.parse(keys.get(index));
        } catch (java.time.format.DateTimeParseException e) {
            throw invalid();
        }
    }

    public boolean booleanAt(int index) {
        return switch (keys.get(index)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid();
        };
    }

    private static DomainException invalid() {
        return DomainException.malformed("The cursor is not valid; use the nextCursor of a previous page.");
    }
}
