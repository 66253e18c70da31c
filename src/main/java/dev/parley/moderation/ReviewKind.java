package dev.parley.moderation;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Locale;
import java.util.Optional;

/**
 * What a review item asks of a moderator: to review a flagged or reported post (approve or reject),
 * or to decide an author's appeal (uphold or overturn). Stored and sent as its lowercase name.
 */
@Serdeable
public enum ReviewKind {
    REVIEW, APPEAL;

    /** The name in the database and in the API's JSON. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind with the given API name; empty for anything else. */
    static Optional<ReviewKind> fromWire(String wire) {
        for (ReviewKind kind : values()) {
            if (kind.wire().equals(wire)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
