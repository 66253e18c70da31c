package dev.parley.abuse;

import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;

import java.time.Instant;

/**
 * A row of {@code rate_limits}: one counter's theoretical arrival time (GCRA), and whether its
 * last charge was allowed.
 */
@MappedEntity("rate_limits")
record RateLimitRow(@EmbeddedId Key id, Instant tat, boolean allowed) {

    /** A counter: what is counted, for whom. */
    @Embeddable
    record Key(@MappedProperty("scope") String scope, @MappedProperty("key") String key) {
    }
}
