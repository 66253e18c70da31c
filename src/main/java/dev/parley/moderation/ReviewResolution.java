package dev.parley.moderation;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Locale;
import java.util.Optional;

/**
 * How a review item was closed: a moderator's action (approve, reject), or superseded by a newer
 * automated verdict. Stored and sent as its lowercase name.
 */
@Serdeable
public enum ReviewResolution {
    APPROVE, REJECT, SUPERSEDED;

    /** The name in the database and in the API's JSON. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The moderator's action with the given API name; superseding is not one. */
    static Optional<ReviewResolution> action(String wire) {
        if (APPROVE.wire().equals(wire)) {
            return Optional.of(APPROVE);
        }
        return REJECT.wire().equals(wire) ? Optional.of(REJECT) : Optional.empty();
    }
}
