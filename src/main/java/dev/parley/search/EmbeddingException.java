package dev.parley.search;

import java.time.Duration;

/** An embedding provider could not answer: why, and when it may be worth asking again. */
public class EmbeddingException extends RuntimeException {

    public enum Kind {
        /** 429: wait {@link #retryAfter()} (when given) and ask again. */
        RATE_LIMITED,
        /** 5xx, timeout, connection failure, malformed answer: retry with backoff. */
        TRANSIENT,
        /** 4xx other than 429: retrying will not help until the configuration changes. */
        CONFIGURATION
    }

    private final Kind kind;
    private final Duration retryAfter;

    public EmbeddingException(Kind kind, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** The delay the provider asked for, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
