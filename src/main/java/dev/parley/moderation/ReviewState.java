package dev.parley.moderation;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Locale;
import java.util.Optional;

/** Where a review item stands; stored and sent as its lowercase name. */
@Serdeable
public enum ReviewState {
    OPEN, CLAIMED, RESOLVED;

    /** The name in the database and in the API's JSON. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state with the given API name; empty for anything else. */
    static Optional<ReviewState> fromWire(String wire) {
        for (ReviewState state : values()) {
            if (state.wire().equals(wire)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
