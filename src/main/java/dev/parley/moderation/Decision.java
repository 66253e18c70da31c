package dev.parley.moderation;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Locale;

/** What the policy made of a post version; stored and sent as its lowercase name. */
@Serdeable
public enum Decision {
    PUBLISHED, FLAGGED, REJECTED;

    /** The name in the database and in the API's JSON. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
