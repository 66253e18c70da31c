package dev.parley.webhooks;

import dev.parley.events.OutboxEvent;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * The body of a delivery, in the Standard Webhooks shape: the event's type, when it happened, and the
 * event itself (ids and a short typed detail, never a member's text).
 */
@Serdeable
record WebhookMessage(String type, Instant timestamp, OutboxEvent data) {

    static WebhookMessage of(OutboxEvent event) {
        return new WebhookMessage(event.type(), event.at(), event);
    }

    /** The {@code webhook-id}: one per event, so a receiver sees the same id for the same event on every attempt. */
    static String messageId(OutboxEvent event) {
        return "msg_" + event.id();
    }
}
