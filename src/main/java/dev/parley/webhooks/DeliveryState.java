package dev.parley.webhooks;

import dev.parley.common.LowercaseEnumConverter;
import jakarta.inject.Singleton;

/** Where a delivery stands: waiting for an attempt (first or retry), received with a 2xx, or given up. */
enum DeliveryState {
    PENDING,
    DELIVERED,
    /** Out of attempts, or its endpoint was disabled before it could be delivered. */
    FAILED;

    @Singleton
    static final class Converter extends LowercaseEnumConverter<DeliveryState> {
        Converter() {
            super(DeliveryState.class);
        }
    }
}
