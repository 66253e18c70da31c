package dev.parley.moderation;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Locale;
import java.util.Optional;

/**
 * How a review item was closed: a moderator's action (approve, reject; uphold, overturn for an
 * appeal), or superseded by a newer automated verdict. Stored and sent as its lowercase name.
 */
@Serdeable
public enum ReviewResolution {
    APPROVE, REJECT, SUPERSEDED, UPHOLD, OVERTURN;

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

    /** A moderator's action on an item of either kind: approve, reject, uphold or overturn. */
    static Optional<ReviewResolution> anyAction(String wire) {
        for (ReviewResolution resolution : values()) {
            if (resolution != SUPERSEDED && resolution.wire().equals(wire)) {
                return Optional.of(resolution);
            }
        }
        return Optional.empty();
    }

    /** Whether this action decides an appeal (uphold, overturn) rather than reviews a post. */
    boolean decidesAppeal() {
        return this == UPHOLD || this == OVERTURN;
    }
}
