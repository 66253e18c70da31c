package dev.parley.common;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Text that PostgreSQL can keep exactly as sent. A NUL fails the statement (text and jsonb refuse
 * it) and an unpaired UTF-16 surrogate, which a JSON escape like {@code "\ud800"} produces, is
 * silently stored as '?' by the driver: both are refused up front, naming the field.
 */
public final class StorableText {

    public static final String MESSAGE = "must not contain NUL characters or unpaired surrogates";
    /** PostgreSQL text cannot hold NUL (22021) or characters outside UTF-8 (22P05). */
    private static final Set<String> REFUSED_BY_DATABASE = Set.of("22021", "22P05");

    private StorableText() {
    }

    public static boolean isStorable(String text) {
        if (text == null) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Adds an error for {@code field} to {@code errors} when the text cannot be stored. */
    public static void check(String field, String text, List<Problem.FieldError> errors) {
        if (!isStorable(text)) {
            errors.add(new Problem.FieldError(field, MESSAGE));
        }
    }

    /** Throws a 422 naming the first field whose text cannot be stored; fields and texts alternate. */
    public static void require(String... fieldsAndTexts) {
        List<Problem.FieldError> errors = new java.util.ArrayList<>();
        for (int i = 0; i < fieldsAndTexts.length; i += 2) {
            check(fieldsAndTexts[i], fieldsAndTexts[i + 1], errors);
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
    }

    /**
     * Whether a failed statement failed on text PostgreSQL cannot store: free text that no field
     * check covers is then refused as a malformed request (400) instead of a server error.
     */
    public static boolean refusedByDatabase(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && REFUSED_BY_DATABASE.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
