package dev.parley.events;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code parley.events.*}: the outbox's retention and the server-sent event streams' limits.
 *
 * @param retention        events older than this are purged; a stream resumed with an older
 *                         {@code Last-Event-ID} gets what is left
 * @param purgeInterval    how often each instance purges
 * @param maxStreams       open streams per instance; one more is refused with 503 and {@code Retry-After}
 * @param streamBuffer     events queued for one stream that its client has not taken yet; a client that
 *                         falls further behind has its stream ended and resumes with {@code Last-Event-ID}
 * @param heartbeat        a comment line is sent on every stream this often, so proxies keep idle streams open
 * @param pollInterval     the outbox is read this often even without a notification (a lost LISTEN connection)
 * @param readBatch        events read per statement
 */
@ConfigurationProperties("parley.events")
public record EventsConfig(Duration retention, Duration purgeInterval, int maxStreams, int streamBuffer,
                           Duration heartbeat, Duration pollInterval, int readBatch) {
}
