package dev.parley.webhooks;

import dev.parley.pipeline.Job;
import dev.parley.pipeline.JobHandler;
import dev.parley.pipeline.JobKind;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one attempt of a delivery: checks the target again (its name may resolve elsewhere now), signs
 * the frozen body with the current time and POSTs it. A failed attempt throws, so the pipeline retries
 * it with its backoff until {@code parley.webhooks.max-attempts}; the last one, or one after which the
 * endpoint was disabled, ends the delivery as failed instead (an admin can redeliver it).
 * <p>
 * Delivery is at least once: a worker that dies after the POST and before recording it sends again on
 * the next claim, with the same {@code webhook-id}, by which receivers recognise a message they already have.
 */
@Singleton
class DeliveryJobHandler implements JobHandler<DeliveryTask> {

    static final JobKind<DeliveryTask> KIND = JobKind.of("webhook-delivery", DeliveryTask.class);

    /** A failed attempt that another attempt should follow; its message goes into the job's last error. */
    static final class AttemptFailed extends RuntimeException {
        AttemptFailed(String reason) {
            super(reason, null, false, false);
        }
    }

    private final DeliveryLog log;
    private final TargetGuard guard;
    private final WebhookSender sender;
    private final Clock clock;

    DeliveryJobHandler(DeliveryLog log, TargetGuard guard, WebhookSender sender, Clock clock) {
        this.log = log;
        this.guard = guard;
        this.sender = sender;
        this.clock = clock;
    }

    @Override
    public JobKind<DeliveryTask> kind() {
        return KIND;
    }

    @Override
    public void handle(Job<DeliveryTask> job) {
        Optional<DeliveryLog.Prepared> due = log.prepare(job.payload().deliveryId());
        if (due.isEmpty()) {
            return;
        }
        DeliveryLog.Prepared delivery = due.get();
        WebhookSender.Outcome outcome = attempt(delivery);
        boolean again = log.record(delivery, outcome, job.attempt() >= job.maxAttempts());
        if (again) {
            throw new AttemptFailed(outcome.error());
        }
    }

    private WebhookSender.Outcome attempt(DeliveryLog.Prepared delivery) {
        URI target;
        try {
            target = guard.parse(delivery.url());
            guard.check(target);
        } catch (TargetGuard.Malformed | TargetGuard.Refused refused) {
            return WebhookSender.Outcome.refused(refused.getMessage());
        }
        long timestamp = clock.instant().getEpochSecond();
        String signature = WebhookSecret.parse(delivery.secret()).sign(delivery.messageId(), timestamp, delivery.body());
        return sender.send(target, Map.of(
                "webhook-id", delivery.messageId(),
                "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature", signature), delivery.body());
    }
}
