package dev.parley.webhooks;

import io.micronaut.serde.annotation.Serdeable;

/** The payload of a {@code webhook-delivery} job: one delivery to attempt. */
@Serdeable
record DeliveryTask(long deliveryId) {
}
