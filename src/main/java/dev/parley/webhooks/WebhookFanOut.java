package dev.parley.webhooks;

import dev.parley.events.EventType;
import dev.parley.events.OutboxEvent;
import dev.parley.events.OutboxReader;
import dev.parley.pipeline.JobQueue;
import dev.parley.pipeline.JobRequest;
import dev.parley.pipeline.PipelineConfig;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns new outbox events into deliveries: for each enabled endpoint, the events of its types after
 * its cursor become delivery rows and {@code webhook-delivery} jobs, and the cursor moves past them, in
 * one transaction that holds the endpoint's row. Any instance may run a round; the row lock (skipped,
 * not waited on, by the others) and the unique (endpoint, event) pair make each event one delivery
 * per endpoint, across instances and restarts. Outbox ids are commit-ordered, so reading after the
 * cursor never skips an event that commits late.
 */
@Singleton
public class WebhookFanOut {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookFanOut.class);

    private final EndpointRepository endpoints;
    private final DeliveryRepository deliveries;
    private final OutboxReader outbox;
    private final JobQueue jobs;
    private final JsonMapper json;
    private final TransactionOperations<Connection> tx;
    private final WebhooksConfig config;
    private final PipelineConfig pipeline;
    private final Clock clock;

    WebhookFanOut(EndpointRepository endpoints, DeliveryRepository deliveries, OutboxReader outbox, JobQueue jobs,
                  JsonMapper json, TransactionOperations<Connection> tx, WebhooksConfig config,
                  PipelineConfig pipeline, Clock clock) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.outbox = outbox;
        this.jobs = jobs;
        this.json = json;
        this.tx = tx;
        this.config = config;
        this.pipeline = pipeline;
        this.clock = clock;
    }

    /** Every instance that runs job workers runs a round this often. */
    @Scheduled(fixedDelay = "${parley.webhooks.poll-interval:2s}", initialDelay = "${parley.webhooks.poll-interval:2s}")
    void scheduled() {
        if (!pipeline.workersEnabled()) {
            return;
        }
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warn("Turning events into webhook deliveries failed ({}); the next round tries again", e.toString());
        }
    }

    /** One round over the enabled endpoints (what the schedule runs; tests call it by hand). Returns the deliveries created. */
    public int run() {
        int created = 0;
        for (long id : endpoints.enabledIds()) {
            Integer made = tx.executeWrite(status -> fanOut(id));
            created += made == null ? 0 : made;
        }
        return created;
    }

    private int fanOut(long endpointId) {
        Optional<EndpointRepository.Row> locked = endpoints.lockEnabled(endpointId);
        if (locked.isEmpty()) {
            return 0;
        }
        EndpointRepository.Row endpoint = locked.get();
        Set<EventType> types = typesOf(endpoint);
        // Read before the events: every event up to it is visible to the next statement (commit order),
        // so when fewer than a batch come back, nothing of these types lies between them and it.
        long newest = outbox.lastId();
        List<OutboxEvent> events = outbox.after(endpoint.lastEventId(), types, config.readBatch());
        int created = 0;
        for (OutboxEvent event : events) {
            var inserted = deliveries.insert(endpointId, event.id(), event.type(), WebhookMessage.messageId(event),
                    body(event), clock.instant());
            for (DeliveryRepository.Row delivery : inserted) {
                jobs.enqueue(request(delivery.id()));
                created++;
            }
        }
        long cursor = events.size() == config.readBatch()
                ? events.get(events.size() - 1).id()
                : Math.max(newest, events.isEmpty() ? 0 : events.get(events.size() - 1).id());
        if (cursor > endpoint.lastEventId()) {
            endpoints.advance(endpointId, cursor);
        }
        return created;
    }

    /** The job of one delivery; also what a redelivery enqueues. */
    JobRequest<DeliveryTask> request(long deliveryId) {
        return JobRequest.of(DeliveryJobHandler.KIND, new DeliveryTask(deliveryId))
                .uniqueBy("delivery:" + deliveryId)
                .withMaxAttempts(config.maxAttempts());
    }

    private String body(OutboxEvent event) {
        try {
            return json.writeValueAsString(Argument.of(WebhookMessage.class), WebhookMessage.of(event));
        } catch (IOException e) {
            throw new UncheckedIOException("a webhook message is always serialisable", e);
        }
    }

    private static Set<EventType> typesOf(EndpointRepository.Row endpoint) {
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        Arrays.stream(endpoint.eventTypes()).map(EventType::ofWire).flatMap(Optional::stream).forEach(types::add);
        return types;
    }
}
