package dev.parley.common;

import java.util.List;

/**
 * Text that PostgreSQL can keep exactly as sent. A NUL fails the statement (text and jsonb refuse
 * it) and an unpaired UTF-16 surrogate, which a JSON escape like {@code "\ud800"} produces, is
 * silently stored as '?' by the driver: both are refused up front, naming the field.
 */
public final class StorableText {

    public static final String MESSAGE = "must not contain NUL characters or unpaired surrogates";

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
}
