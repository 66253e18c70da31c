package dev.parley.webhooks;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * What a delivery job reads before its attempt and writes after it, each in a short transaction of
 * its own (no transaction or connection is held while the receiver is called): the attempt's log row,
 * the delivery's state, and the endpoint's run of failures, which disables the endpoint when it
 * reaches {@code parley.webhooks.disable-after-failures}.
 */
@Singleton
class DeliveryLog {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLog.class);
    private static final int MAX_ERROR_LENGTH = 1000;

    /** A delivery ready for an attempt, with what its endpoint needs to sign and address it. */
    record Prepared(long deliveryId, long endpointId, String url, String secret, String messageId, String body) {
    }

    private final DeliveryRepository deliveries;
    private final EndpointRepository endpoints;
    private final AttemptRepository attempts;
    private final WebhooksConfig config;
    private final Clock clock;

    DeliveryLog(DeliveryRepository deliveries, EndpointRepository endpoints, AttemptRepository attempts,
                WebhooksConfig config, Clock clock) {
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.attempts = attempts;
        this.config = config;
        this.clock = clock;
    }

    /**
     * The delivery, if an attempt is due: it is still pending and its endpoint enabled. A delivery
     * whose endpoint was disabled meanwhile is failed here; one already delivered (a job that ran
     * twice) or deleted with its endpoint needs nothing.
     */
    @Transactional
    Optional<Prepared> prepare(long deliveryId) {
        Optional<DeliveryRepository.Row> found = deliveries.findById(deliveryId)
                .filter(d -> d.state() == DeliveryState.PENDING);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        DeliveryRepository.Row delivery = found.get();
        Optional<EndpointRepository.Row> endpoint = endpoints.findById(delivery.endpointId());
        if (endpoint.isEmpty()) {
            return Optional.empty();
        }
        if (!endpoint.get().enabled()) {
            deliveries.update(withState(delivery, DeliveryState.FAILED, delivery.attempts()));
            return Optional.empty();
        }
        EndpointRepository.Row target = endpoint.get();
        return Optional.of(new Prepared(delivery.id(), target.id(), target.url(), target.secret(),
                delivery.messageId(), delivery.body()));
    }

    /**
     * Records an attempt's outcome. Returns whether another attempt should follow: false when it was
     * delivered, when it was the job's last attempt, or when this failure disabled the endpoint.
     */
    @Transactional
    boolean record(Prepared prepared, WebhookSender.Outcome outcome, boolean lastAttempt) {
        Instant now = clock.instant();
        Optional<DeliveryRepository.Row> locked = deliveries.lock(prepared.deliveryId());
        if (locked.isEmpty()) {
            return false;
        }
        DeliveryRepository.Row delivery = locked.get();
        int attempt = delivery.attempts() + 1;
        attempts.save(new AttemptRepository.Row(null, delivery.id(), attempt, outcome.status(), outcome.responseMs(),
                truncate(outcome.error()), now));
        boolean delivered = outcome.delivered();
        DeliveryState state = delivered ? DeliveryState.DELIVERED
                : lastAttempt ? DeliveryState.FAILED : DeliveryState.PENDING;
        deliveries.update(withState(delivery, state, attempt));
        boolean disabled = countOnEndpoint(delivery.endpointId(), delivered, outcome.error(), now);
        return !delivered && !lastAttempt && !disabled;
    }

    /** Resets or extends the endpoint's run of failures; true when this failure disabled it. */
    private boolean countOnEndpoint(long endpointId, boolean delivered, @Nullable String error, Instant now) {
        Optional<EndpointRepository.Row> locked = endpoints.lock(endpointId);
        if (locked.isEmpty()) {
            return false;
        }
        EndpointRepository.Row e = locked.get();
        if (delivered) {
            if (e.consecutiveFailures() != 0) {
                endpoints.update(e.withFailures(0));
            }
            return false;
        }
        int failures = e.consecutiveFailures() + 1;
        boolean disable = e.enabled() && failures >= config.disableAfterFailures();
        EndpointRepository.Row counted = e.withFailures(failures);
        endpoints.update(disable
                ? counted.disabled(truncate(failures + " failed attempts in a row; the last: " + error), now)
                : counted);
        if (disable) {
            int abandoned = deliveries.failPending(endpointId);
            LOG.warn("Webhook endpoint {} disabled after {} failed attempts in a row ({} waiting deliveries failed)",
                    endpointId, failures, abandoned);
        }
        return disable;
    }

    static DeliveryRepository.Row withState(DeliveryRepository.Row d, DeliveryState state, int attempts) {
        return new DeliveryRepository.Row(d.id(), d.endpointId(), d.eventId(), d.eventType(), d.messageId(), d.body(),
                state, attempts, d.createdAt());
    }

    private static @Nullable String truncate(@Nullable String text) {
        return text == null || text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
    }
}
