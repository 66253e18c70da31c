package dev.parley.webhooks;

import dev.parley.auth.Actor;
import dev.parley.auth.Role;
import dev.parley.common.Cursor;
import dev.parley.common.DomainException;
import dev.parley.common.Page;
import dev.parley.common.PageRequest;
import dev.parley.common.Problem;
import dev.parley.events.EventType;
import dev.parley.events.OutboxReader;
import dev.parley.pipeline.JobQueue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The admin API of webhooks: endpoints, their delivery log, redelivery. Every method needs the admin role. */
@Singleton
class WebhookService {

    private final EndpointRepository endpoints;
    private final DeliveryRepository deliveries;
    private final AttemptRepository attempts;
    private final TargetGuard guard;
    private final OutboxReader outbox;
    private final JobQueue jobs;
    private final WebhookFanOut fanOut;
    private final Clock clock;

    WebhookService(EndpointRepository endpoints, DeliveryRepository deliveries, AttemptRepository attempts,
                   TargetGuard guard, OutboxReader outbox, JobQueue jobs, WebhookFanOut fanOut, Clock clock) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.attempts = attempts;
        this.guard = guard;
        this.outbox = outbox;
        this.jobs = jobs;
        this.fanOut = fanOut;
        this.clock = clock;
    }

    /**
     * Registers an endpoint for the events committed from now on. The answer carries the secret, the
     * only time it is shown. 422 for a malformed URL, unknown event types or a malformed secret; 400
     * for a URL whose host resolves to an address webhooks may not reach. No transaction: resolving the
     * host may take seconds, and one insert needs none.
     */
    WebhookViews.Endpoint register(Actor actor, WebhookViews.RegisterRequest request) {
        actor.require(Role.ADMIN).requireActive();
        List<Problem.FieldError> errors = new ArrayList<>();
        URI url = parseUrl(request.url(), errors);
        String[] types = eventTypes(request.eventTypes(), errors);
        WebhookSecret secret = null;
        if (request.secret() == null || request.secret().isEmpty()) {
            secret = WebhookSecret.generate();
        } else {
            try {
                secret = WebhookSecret.parse(request.secret());
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("secret", e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
        checkTarget(url);
        Instant now = clock.instant();
        EndpointRepository.Row row = endpoints.save(new EndpointRepository.Row(null, url.toString(), types,
                secret.value(), true, 0, null, null, outbox.lastId(), now, now));
        return WebhookViews.Endpoint.of(row).withSecret(secret.value());
    }

    /** Endpoints in registration order. */
    @Transactional(readOnly = true)
    Page<WebhookViews.Endpoint> list(Actor actor, PageRequest page) {
        actor.require(Role.ADMIN);
        long afterId = page.cursor() == null ? 0 : Cursor.decode(page.cursor(), 1).longAt(0);
        return Page.of(endpoints.findAfter(afterId, page.fetchSize()), page.limit(), row -> Cursor.of(row.id()))
                .map(WebhookViews.Endpoint::of);
    }

    @Transactional(readOnly = true)
    WebhookViews.Endpoint get(Actor actor, long id) {
        actor.require(Role.ADMIN);
        return WebhookViews.Endpoint.of(find(id));
    }

    /**
     * Changes the URL, the event types or whether the endpoint is enabled. Enabling clears the run of
     * failures and the reason it was disabled, and starts from the events committed from now on:
     * events of the time it was disabled are not delivered.
     */
    @Transactional
    WebhookViews.Endpoint update(Actor actor, long id, WebhookViews.UpdateRequest request) {
        actor.require(Role.ADMIN).requireActive();
        EndpointRepository.Row e = endpoints.lock(id).orElseThrow(WebhookService::endpointNotFound);
        List<Problem.FieldError> errors = new ArrayList<>();
        URI url = request.url() == null ? null : parseUrl(request.url(), errors);
        String[] types = request.eventTypes() == null ? e.eventTypes() : eventTypes(request.eventTypes(), errors);
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
        if (url != null) {
            checkTarget(url);
        }
        Instant now = clock.instant();
        boolean enabled = request.enabled() == null ? e.enabled() : request.enabled();
        boolean enabling = enabled && !e.enabled();
        boolean disabling = !enabled && e.enabled();
        EndpointRepository.Row changed = e.retargeted(url == null ? e.url() : url.toString(), types, now);
        if (enabling) {
            changed = changed.enabledFrom(Math.max(e.lastEventId(), outbox.lastId()));
        } else if (disabling) {
            changed = changed.disabled("disabled by " + actor.username(), now);
        }
        endpoints.update(changed);
        if (disabling) {
            deliveries.failPending(id);
        }
        return WebhookViews.Endpoint.of(changed);
    }

    /** Deletes the endpoint with its deliveries and log; their waiting jobs then find nothing to do. */
    @Transactional
    void delete(Actor actor, long id) {
        actor.require(Role.ADMIN).requireActive();
        if (endpoints.deleteById(id) == 0) {
            throw endpointNotFound();
        }
    }

    /** The endpoint's deliveries, newest first, each with its attempts. */
    @Transactional(readOnly = true)
    Page<WebhookViews.Delivery> deliveries(Actor actor, long endpointId, PageRequest page) {
        actor.require(Role.ADMIN);
        find(endpointId);
        long beforeId = page.cursor() == null ? Long.MAX_VALUE : Cursor.decode(page.cursor(), 1).longAt(0);
        Page<DeliveryRepository.Row> rows = Page.of(deliveries.findPage(endpointId, beforeId, page.fetchSize()),
                page.limit(), row -> Cursor.of(row.id()));
        Map<Long, List<WebhookViews.Attempt>> log = attemptsOf(rows.items());
        return rows.map(row -> WebhookViews.Delivery.of(row, log));
    }

    /**
     * Sends a delivery again, with the same {@code webhook-id}, through a new job with fresh attempts.
     * 409 when its endpoint is disabled or the delivery is still waiting for an attempt.
     */
    @Transactional
    WebhookViews.Delivery redeliver(Actor actor, long endpointId, long deliveryId) {
        actor.require(Role.ADMIN).requireActive();
        EndpointRepository.Row endpoint = find(endpointId);
        DeliveryRepository.Row delivery = deliveries.lock(deliveryId).filter(d -> d.endpointId() == endpointId)
                .orElseThrow(() -> DomainException.notFound("No delivery with this id at this endpoint."));
        if (!endpoint.enabled()) {
            throw DomainException.conflict("The endpoint is disabled; enable it before redelivering.");
        }
        if (delivery.state() == DeliveryState.PENDING) {
            throw DomainException.conflict("The delivery is waiting for an attempt already.");
        }
        DeliveryRepository.Row pending = deliveries.update(
                DeliveryLog.withState(delivery, DeliveryState.PENDING, delivery.attempts()));
        if (jobs.enqueue(fanOut.request(deliveryId)).isEmpty()) {
            throw DomainException.conflict("The delivery is waiting for an attempt already.");
        }
        return WebhookViews.Delivery.of(pending, attemptsOf(List.of(pending)));
    }

    private EndpointRepository.Row find(long id) {
        return endpoints.findById(id).orElseThrow(WebhookService::endpointNotFound);
    }

    private static DomainException endpointNotFound() {
        return DomainException.notFound("No webhook endpoint with this id.");
    }

    private Map<Long, List<WebhookViews.Attempt>> attemptsOf(List<DeliveryRepository.Row> rows) {
        if (rows.isEmpty()) {
            return Map.of();
        }
        return attempts.findByDeliveries(rows.stream().map(DeliveryRepository.Row::id).toArray(Long[]::new)).stream()
                .collect(Collectors.groupingBy(AttemptRepository.Row::deliveryId,
                        Collectors.mapping(WebhookViews.Attempt::of, Collectors.toList())));
    }

    private @Nullable URI parseUrl(@Nullable String url, List<Problem.FieldError> errors) {
        try {
            return guard.parse(url);
        } catch (TargetGuard.Malformed e) {
            errors.add(new Problem.FieldError("url", e.getMessage()));
            return null;
        }
    }

    private void checkTarget(URI url) {
        try {
            guard.check(url);
        } catch (TargetGuard.Refused e) {
            throw DomainException.malformed("The URL is refused: " + e.getMessage() + ".");
        }
    }

    private static String[] eventTypes(@Nullable List<String> wanted, List<Problem.FieldError> errors) {
        if (wanted == null || wanted.isEmpty()) {
            errors.add(new Problem.FieldError("eventTypes", "must name at least one event type"));
            return new String[0];
        }
        Set<String> types = new LinkedHashSet<>();
        for (String type : wanted) {
            if (type == null || EventType.ofWire(type).isEmpty()) {
                errors.add(new Problem.FieldError("eventTypes", "unknown event type; known: " + Arrays.stream(
                        EventType.values()).map(EventType::wire).collect(Collectors.joining(", "))));
                return new String[0];
            }
            types.add(type);
        }
        return types.toArray(String[]::new);
    }
}
