package dev.parley.moderation;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Locale;

/**
 * Where an appeal stands for its author: waiting for a moderator, upheld, overturned, or superseded
 * (the post was edited or decided anew before a moderator got to it). Sent as its lowercase name.
 */
@Serdeable
public enum AppealOutcome {
    OPEN, UPHELD, OVERTURNED, SUPERSEDED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome of an appeal whose review item has this resolution (its database text), or none yet. */
    static AppealOutcome of(String resolution) {
        if (resolution == null) {
            return OPEN;
        }
        return switch (ReviewResolution.valueOf(resolution.toUpperCase(Locale.ROOT))) {
            case UPHOLD -> UPHELD;
            case OVERTURN -> OVERTURNED;
            case SUPERSEDED -> SUPERSEDED;
            case APPROVE, REJECT -> throw new IllegalStateException("an appeal is not approved or rejected");
        };
    }
}
