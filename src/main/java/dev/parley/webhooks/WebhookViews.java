package dev.parley.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** What the admin API reads and answers. */
final class WebhookViews {

    private WebhookViews() {
    }

    /** A registration: {@code secret} optional (one is generated when absent). */
    @Serdeable
    record RegisterRequest(@Nullable String url, @Nullable List<String> eventTypes, @Nullable String secret) {
    }

    /** A change: the fields present change. {@code enabled: true} also clears the run of failures. */
    @Serdeable
    record UpdateRequest(@Nullable String url, @Nullable List<String> eventTypes, @Nullable Boolean enabled) {
    }

    /**
     * An endpoint. {@code secret} is in the answer to its registration only.
     *
     * @param consecutiveFailures failed attempts in a row; at {@code parley.webhooks.disable-after-failures}
     *                            the endpoint is disabled, with {@code disabledReason}
     */
    @Serdeable
    record Endpoint(long id, String url, List<String> eventTypes, boolean enabled, int consecutiveFailures,
                    @Nullable String disabledReason, @Nullable Instant disabledAt, Instant createdAt,
                    Instant updatedAt, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String secret) {

        static Endpoint of(EndpointRepository.Row row) {
            return new Endpoint(row.id(), row.url(), Arrays.asList(row.eventTypes()), row.enabled(),
                    row.consecutiveFailures(), row.disabledReason(), row.disabledAt(), row.createdAt(),
                    row.updatedAt(), null);
        }

        Endpoint withSecret(String value) {
            return new Endpoint(id, url, eventTypes, enabled, consecutiveFailures, disabledReason, disabledAt,
                    createdAt, updatedAt, value);
        }
    }

    /**
     * One message to one endpoint and its log.
     *
     * @param messageId the {@code webhook-id} header, the same on every attempt and redelivery
     * @param state     {@code pending}, {@code delivered} or {@code failed}
     * @param log       its attempts, oldest first
     */
    @Serdeable
    record Delivery(long id, long eventId, String eventType, String messageId, String state, int attempts,
                    Instant createdAt, List<Attempt> log) {

        static Delivery of(DeliveryRepository.Row row, Map<Long, List<Attempt>> attempts) {
            return new Delivery(row.id(), row.eventId(), row.eventType(), row.messageId(),
                    row.state().name().toLowerCase(java.util.Locale.ROOT), row.attempts(), row.createdAt(),
                    attempts.getOrDefault(row.id(), List.of()));
        }
    }

    /**
     * One attempt.
     *
     * @param status     the receiver's HTTP status; null when none came (timeout, connection error, refused target)
     * @param responseMs from sending the request to reading the status and at most the first bytes of the body
     * @param error      why the attempt failed; null when it succeeded
     */
    @Serdeable
    record Attempt(int attempt, @Nullable Integer status, @Nullable Integer responseMs, @Nullable String error,
                   Instant at) {

        static Attempt of(AttemptRepository.Row row) {
            return new Attempt(row.attempt(), row.status(), row.responseMs(), row.error(), row.at());
        }
    }
}
