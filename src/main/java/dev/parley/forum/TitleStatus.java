package dev.parley.forum;

import java.util.Locale;

/**
 * Lifecycle of a thread title edit: {@link #PENDING} until moderation decides, then
 * {@link #PUBLISHED} (it became the thread's title), {@link #FLAGGED} (held for a moderator) or
 * {@link #REJECTED}; {@link #SUPERSEDED} when a newer edit replaced it before it was published.
 */
public enum TitleStatus {
    PENDING, PUBLISHED, FLAGGED, REJECTED, SUPERSEDED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static TitleStatus fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** The title status a moderation outcome (published, flagged or rejected) gives an edit. */
    static TitleStatus of(PostStatus outcome) {
        return switch (outcome) {
            case PUBLISHED -> PUBLISHED;
            case FLAGGED -> FLAGGED;
            case REJECTED -> REJECTED;
            case PENDING, DELETED -> throw new IllegalArgumentException("not a moderation outcome: " + outcome);
        };
    }
}
