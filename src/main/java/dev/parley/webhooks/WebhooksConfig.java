package dev.parley.webhooks;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.List;

/**
 * {@code parley.webhooks.*}.
 *
 * @param connectTimeout        TCP (and TLS) connect to a receiver
 * @param readTimeout           from the request sent to the response's status line; the whole attempt
 *                              (body read included) is bounded by twice this
 * @param maxResponseBytes      bytes of a response body read (kept for the log), the rest is dropped
 * @param maxAttempts           attempts of one delivery before it is failed (the pipeline's backoff between them)
 * @param disableAfterFailures  failed attempts in a row, across the endpoint's deliveries, that disable it
 * @param allowPrivateTargets   address classes a target may resolve to although they are not public:
 *                              {@code loopback}, {@code private}, {@code link-local}, {@code shared}
 *                              (100.64/10); empty in production
 * @param pollInterval          how often each instance turns new outbox events into deliveries
 * @param readBatch             events read per endpoint and round
 * @param logRetention          finished deliveries and their attempts are purged after this long
 */
@ConfigurationProperties("parley.webhooks")
public record WebhooksConfig(Duration connectTimeout,
                             Duration readTimeout,
                             int maxResponseBytes,
                             int maxAttempts,
                             int disableAfterFailures,
                             @Nullable List<String> allowPrivateTargets,
                             Duration pollInterval,
                             int readBatch,
                             Duration logRetention) {

    public WebhooksConfig {
        allowPrivateTargets = allowPrivateTargets == null ? List.of() : List.copyOf(allowPrivateTargets);
    }
}
