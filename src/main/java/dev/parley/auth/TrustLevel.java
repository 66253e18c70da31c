package dev.parley.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * How far an account is trusted, stored as its number (docs/moderation.md, "Trust levels"). Only
 * the moderation policy gives the levels meaning: it may hold or judge more strictly the posts of
 * accounts below a level. Levels 1 and 2 are earned automatically; 3 is given by moderators.
 */
public enum TrustLevel {
    /** A fresh account (the default initial level). */
    NEW,
    /** Has a few published posts, a day of age and no recent rejection. */
    BASIC,
    /** An established account. */
    MEMBER,
    /** Vouched for by a moderator; never reached automatically. */
    TRUSTED;

    /** The number in {@code users.trust_level} and in the API. */
    public int value() {
        return ordinal();
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TrustLevel> of(int value) {
        return value >= 0 && value < values().length ? Optional.of(values()[value]) : Optional.empty();
    }

    public boolean below(TrustLevel other) {
        return compareTo(other) < 0;
    }
}
