package dev.parley.moderation;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Locale;

/**
 * What a decision or review item judges. Both are keyed by a post: {@link #POST} is the post's text,
 * {@link #TITLE} a title edit of the thread the post opens (its version is the title revision's).
 */
@Serdeable
public enum Subject {
    POST, TITLE;

    /** The name in the database and in the API's JSON. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
