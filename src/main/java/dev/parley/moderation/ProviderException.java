package dev.parley.moderation;

import java.time.Duration;

/** A provider could not score: why, and when it may be worth asking again. */
public class ProviderException extends RuntimeException {

    public enum Kind {
        /** 429: wait {@link #retryAfter()} (when the provider said) and ask again. */
        RATE_LIMITED,
        /** 5xx, timeout, connection failure: retry with backoff. */
        TRANSIENT,
        /** The answer was not what the API specifies (not JSON, wrong shape, wrong count): retry with backoff. */
        MALFORMED,
        /** 4xx other than 429 (bad key, unknown model): retrying will not help until the configuration changes. */
        CONFIGURATION
    }

    private final Kind kind;
    private final Duration retryAfter;

    public ProviderException(Kind kind, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public ProviderException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The delay the provider asked for, or null when it did not say. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
