package dev.parley.webhooks;

import dev.parley.events.Audience;
import dev.parley.events.DomainEvent;
import dev.parley.events.EventType;
import dev.parley.events.Outbox;
import dev.parley.pipeline.WorkerPool;
import dev.parley.pipeline.WorkerPools;
import dev.parley.support.Api;
import dev.parley.support.Api.User;
import dev.parley.support.ApiTest;
import dev.parley.support.SettableClock;
import dev.parley.support.WebhookReceiver;
import io.micronaut.context.annotation.Property;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks end to end over HTTP: an admin registers a receiver the test runs, events become signed
 * deliveries that the receiver verifies with its own code, failures retry on the pipeline's backoff,
 * the log records every attempt, redelivery resends the same message, and a run of failures disables
 * the endpoint. No background work: the test runs the fan-out and the due jobs by hand and moves the
 * settable clock past each backoff. Loopback targets are allowed here (the receiver is on 127.0.0.1).
 */
@MicronautTest(transactional = false)
@Property(name = "parley.pipeline.workers-enabled", value = "false")
@Property(name = "parley.test.settable-clock", value = "true")
@Property(name = "parley.pipeline.backoff-base", value = "2s")
@Property(name = "parley.webhooks.allow-private-targets", value = "loopback")
@Property(name = "parley.webhooks.max-attempts", value = "4")
@Property(name = "parley.webhooks.disable-after-failures", value = "3")
@Property(name = "parley.webhooks.read-timeout", value = "300ms")
class WebhookDeliveryTest extends ApiTest {

    @Inject
    WebhookFanOut fanOut;
    @Inject
    DeliveryJobHandler deliveryHandler;
    @Inject
    WorkerPools pools;
    @Inject
    SettableClock clock;
    @Inject
    Outbox outbox;
    @Inject
    TransactionOperations<Connection> tx;
    @Inject
    WebhookLogPurge purge;

    WebhookReceiver receiver;
    WorkerPool pool;
    String admin;

    @BeforeEach
    void start() throws IOException {
        receiver = new WebhookReceiver(clock);
        pool = pools.create("webhooks", deliveryHandler);
        admin = api.adminToken();
        flushLeftovers();
    }

    @AfterEach
    void stop() {
        receiver.close();
        flushLeftovers();
    }

    /**
     * Deletes the endpoints (they would get the events of later tests) and runs the retries still
     * waiting for them, which now find nothing to send: the job counts a test asserts are its own.
     */
    private void flushLeftovers() {
        db.execute("DELETE FROM webhook_endpoints");
        clock.advance(Duration.ofDays(1));
        pool.runDue();
    }

    @Test
    void aThreadCreatedReachesTheReceiverSignedPerStandardWebhooksAndOnce() {
        JsonNode registered = api.post("/api/admin/webhooks", admin,
                map("url", receiver.url(), "eventTypes", List.of("thread.created"))).expect(201).json();
        String secret = registered.get("secret").getStringValue();
        assertTrue(secret.startsWith("whsec_"), secret);
        assertEquals(32, Base64.getDecoder().decode(secret.substring(6)).length);
        receiver.secret(secret);
        long endpoint = registered.get("id").getLongValue();
        JsonNode read = api.get("/api/admin/webhooks/" + endpoint, admin).expect(200).json();
        assertNull(read.get("secret"), "the secret is shown once: " + read);
        assertFalse(api.get("/api/admin/webhooks", admin).expect(200).body().contains(secret));

        User author = api.register("hookauthor");
        long threadId = api.post("/api/threads", author.token(),
                map("category", "general", "title", "A thread for a webhook", "body", "Hello receivers")).expect(201).id();

        assertEquals(1, fanOut.run());
        assertEquals(1, pool.runDue());

        List<WebhookReceiver.Received> got = receiver.received();
        assertEquals(1, got.size());
        WebhookReceiver.Received message = got.get(0);
        assertTrue(message.signatureValid(), "signature verifies with the receiver's own code");
        assertTrue(message.timestampFresh());
        JsonNode body = json(message.body());
        assertEquals("thread.created", body.get("type").getStringValue());
        assertTrue(body.get("timestamp").getStringValue().endsWith("Z"), body.toString());
        assertEquals(threadId, body.get("data").get("threadId").getLongValue());
        long eventId = body.get("data").get("id").getLongValue();
        assertEquals("msg_" + eventId, message.id());
        assertFalse(message.body().contains("Hello receivers"), "ids only, never a member's text");

        JsonNode delivery = onlyDelivery(endpoint);
        assertEquals("delivered", delivery.get("state").getStringValue());
        assertEquals(eventId, delivery.get("eventId").getLongValue());
        assertEquals("thread.created", delivery.get("eventType").getStringValue());
        JsonNode attempt = delivery.get("log").get(0);
        assertEquals(1, attempt.get("attempt").getIntValue());
        assertEquals(200, attempt.get("status").getIntValue());
        assertTrue(attempt.get("responseMs").getIntValue() >= 0);
        assertTrue(attempt.get("error").isNull());

        assertEquals(0, fanOut.run(), "the cursor moved past the event");
        clock.advance(Duration.ofHours(1));
        assertEquals(0, pool.runDue());
        assertEquals(1, receiver.received().size());
    }

    @Test
    void aReceiverAnswering500ThenGetsTheMessageOnceAfterARetry() {
        long endpoint = register("thread.locked");
        receiver.answer(500);
        long eventId = record(EventType.THREAD_LOCKED);

        assertEquals(1, fanOut.run());
        assertEquals(1, pool.runDue());
        assertEquals(1, receiver.received().size());
        assertEquals(0, receiver.accepted().size());
        assertEquals("pending", onlyDelivery(endpoint).get("state").getStringValue());

        assertEquals(0, pool.runDue(), "the retry waits for its backoff");
        clock.advance(Duration.ofSeconds(2));
        assertEquals(1, pool.runDue());

        List<WebhookReceiver.Received> got = receiver.received();
        assertEquals(2, got.size());
        assertEquals(got.get(0).id(), got.get(1).id(), "the same webhook-id on the retry");
        assertEquals(got.get(0).body(), got.get(1).body());
        assertEquals(1, receiver.accepted().size());
        assertEquals("msg_" + eventId, receiver.accepted().get(0).id());

        JsonNode delivery = onlyDelivery(endpoint);
        assertEquals("delivered", delivery.get("state").getStringValue());
        assertEquals(2, delivery.get("attempts").getIntValue());
        JsonNode failed = delivery.get("log").get(0);
        assertEquals(500, failed.get("status").getIntValue());
        assertTrue(failed.get("error").getStringValue().startsWith("HTTP 500"), failed.toString());
        assertEquals(200, delivery.get("log").get(1).get("status").getIntValue());

        clock.advance(Duration.ofHours(1));
        assertEquals(0, pool.runDue());
        assertEquals(0, fanOut.run());
        assertEquals(2, receiver.received().size());
    }

    @Test
    void redeliveryFromTheLogReachesTheReceiverAgainWithTheSameWebhookId() {
        long endpoint = register("thread.locked");
        record(EventType.THREAD_LOCKED);
        fanOut.run();
        assertEquals(1, pool.runDue());
        long deliveryId = onlyDelivery(endpoint).get("id").getLongValue();

        String path = "/api/admin/webhooks/" + endpoint + "/deliveries/" + deliveryId + "/redeliver";
        JsonNode pending = api.post(path, admin, Map.of()).expect(202).json();
        assertEquals("pending", pending.get("state").getStringValue());
        api.post(path, admin, Map.of()).expectProblem(409);
        api.post("/api/admin/webhooks/" + endpoint + "/deliveries/987654321/redeliver", admin, Map.of())
                .expectProblem(404);
        assertEquals(1, pool.runDue());

        List<WebhookReceiver.Received> got = receiver.received();
        assertEquals(2, got.size());
        assertEquals(got.get(0).id(), got.get(1).id());
        assertTrue(got.get(1).signatureValid());
        JsonNode delivery = onlyDelivery(endpoint);
        assertEquals("delivered", delivery.get("state").getStringValue());
        assertEquals(2, delivery.get("log").size());
        assertEquals(2, delivery.get("log").get(1).get("attempt").getIntValue());
    }

    @Test
    void aRunOfFailuresDisablesTheEndpointAndReEnablingResetsIt() {
        long endpoint = register("thread.locked");
        receiver.otherwise(503);
        for (int i = 0; i < 3; i++) {
            record(EventType.THREAD_LOCKED);
        }
        assertEquals(3, fanOut.run());
        assertEquals(3, pool.runDue());
        assertEquals(3, receiver.received().size());

        JsonNode disabled = api.get("/api/admin/webhooks/" + endpoint, admin).expect(200).json();
        assertFalse(disabled.get("enabled").getBooleanValue());
        assertEquals(3, disabled.get("consecutiveFailures").getIntValue());
        String reason = disabled.get("disabledReason").getStringValue();
        assertTrue(reason.contains("3 failed attempts in a row") && reason.contains("HTTP 503"), reason);
        assertFalse(disabled.get("disabledAt").isNull());
        for (JsonNode delivery : deliveries(endpoint).values()) {
            assertEquals("failed", delivery.get("state").getStringValue());
        }

        long whileDisabled = record(EventType.THREAD_LOCKED);
        assertEquals(0, fanOut.run());
        clock.advance(Duration.ofHours(1));
        pool.runDue();
        assertEquals(3, receiver.received().size(), "nothing reaches a disabled endpoint");
        long firstDelivery = deliveries(endpoint).get(0).get("id").getLongValue();
        api.post("/api/admin/webhooks/" + endpoint + "/deliveries/" + firstDelivery + "/redeliver", admin, Map.of())
                .expectProblem(409);

        receiver.otherwise(200);
        JsonNode enabled = api.patch("/api/admin/webhooks/" + endpoint, admin, Map.of("enabled", true))
                .expect(200).json();
        assertTrue(enabled.get("enabled").getBooleanValue());
        assertEquals(0, enabled.get("consecutiveFailures").getIntValue());
        assertTrue(enabled.get("disabledReason").isNull());

        long afterwards = record(EventType.THREAD_LOCKED);
        assertEquals(1, fanOut.run());
        assertEquals(1, pool.runDue());
        List<WebhookReceiver.Received> accepted = receiver.accepted();
        assertEquals(List.of("msg_" + afterwards), accepted.stream().map(WebhookReceiver.Received::id).toList());
        assertFalse(receiver.received().stream().anyMatch(r -> ("msg_" + whileDisabled).equals(r.id())));
    }

    @Test
    void finishedDeliveriesLeaveTheLogAfterTheRetention() {
        long endpoint = register("thread.locked");
        record(EventType.THREAD_LOCKED);
        fanOut.run();
        pool.runDue();
        assertEquals("delivered", onlyDelivery(endpoint).get("state").getStringValue());
        clock.advance(Duration.ofDays(29));
        purge.purge();
        assertEquals(1, deliveries(endpoint).size(), "kept within the retention (30 days)");
        clock.advance(Duration.ofDays(2));
        assertTrue(purge.purge() >= 1);
        assertEquals(0, deliveries(endpoint).size());
        assertEquals(0, db.count("SELECT count(*) FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id"
                + " WHERE d.endpoint_id = ?", endpoint));
    }

    @Test
    void aRedirectIsAFailedAttemptAndIsNotFollowed() {
        long endpoint = register("thread.locked");
        receiver.answer(307);
        record(EventType.THREAD_LOCKED);
        fanOut.run();
        assertEquals(1, pool.runDue());
        assertEquals(1, receiver.received().size(), "the Location was not followed");
        JsonNode attempt = onlyDelivery(endpoint).get("log").get(0);
        assertEquals(307, attempt.get("status").getIntValue());
        assertTrue(attempt.get("error").getStringValue().startsWith("HTTP 307"), attempt.toString());
    }

    @Test
    void aReceiverThatDoesNotAnswerFailsTheAttemptAtTheReadTimeout() {
        long endpoint = register("thread.locked");
        receiver.stallNext();
        record(EventType.THREAD_LOCKED);
        fanOut.run();
        assertEquals(1, pool.runDue());
        JsonNode delivery = onlyDelivery(endpoint);
        assertEquals("pending", delivery.get("state").getStringValue());
        JsonNode attempt = delivery.get("log").get(0);
        assertTrue(attempt.get("status").isNull());
        assertEquals("no response within 300 ms", attempt.get("error").getStringValue());
    }

    @Test
    void registrationRefusesMalformedInputAndStoresNothing() {
        long before = db.count("SELECT count(*) FROM webhook_endpoints");
        api.post("/api/admin/webhooks", admin, map("url", "ftp://127.0.0.1/x", "eventTypes", List.of("thread.locked")))
                .expectInvalid("url");
        api.post("/api/admin/webhooks", admin, map("url", "not a url", "eventTypes", List.of("thread.locked")))
                .expectInvalid("url");
        api.post("/api/admin/webhooks", admin, map("url", "http://user:pw@127.0.0.1/x", "eventTypes",
                List.of("thread.locked"))).expectInvalid("url");
        api.post("/api/admin/webhooks", admin, map("url", receiver.url(), "eventTypes", List.of("post.exploded")))
                .expectInvalid("eventTypes");
        api.post("/api/admin/webhooks", admin, map("url", receiver.url(), "eventTypes", List.of()))
                .expectInvalid("eventTypes");
        api.post("/api/admin/webhooks", admin, map("url", receiver.url(), "eventTypes", List.of("thread.locked"),
                "secret", "whsec_dG9vIHNob3J0")).expectInvalid("secret");
        api.post("/api/admin/webhooks", admin, map("url", receiver.url(), "eventTypes", List.of("thread.locked"),
                "secret", "plain")).expectInvalid("secret");
        api.patch("/api/admin/webhooks/987654321", admin, Map.of("enabled", true)).expectProblem(404);
        assertEquals(before, db.count("SELECT count(*) FROM webhook_endpoints"));

        String given = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        JsonNode created = api.post("/api/admin/webhooks", admin, map("url", receiver.url(), "eventTypes",
                List.of("thread.locked"), "secret", given)).expect(201).json();
        assertEquals(given, created.get("secret").getStringValue());
        long id = created.get("id").getLongValue();
        api.patch("/api/admin/webhooks/" + id, admin, Map.of("url", "gopher://127.0.0.1/")).expectInvalid("url");
        assertEquals(receiver.url(), api.get("/api/admin/webhooks/" + id, admin).expect(200).text("url"));
        api.delete("/api/admin/webhooks/" + id, admin).expect(204);
        api.get("/api/admin/webhooks/" + id, admin).expectProblem(404);
    }

    @Test
    void membersAndModeratorsAreRefusedAndChangeNothing() {
        long endpoint = register("thread.locked");
        User member = api.register("hookmember");
        User moderator = api.withRole("hookmod", "moderator");
        for (String token : new String[]{member.token(), moderator.token()}) {
            api.get("/api/admin/webhooks", token).expectProblem(403);
            api.post("/api/admin/webhooks", token, map("url", receiver.url(), "eventTypes", List.of("thread.locked")))
                    .expectProblem(403);
            api.get("/api/admin/webhooks/" + endpoint, token).expectProblem(403);
            api.patch("/api/admin/webhooks/" + endpoint, token, Map.of("enabled", false)).expectProblem(403);
            api.delete("/api/admin/webhooks/" + endpoint, token).expectProblem(403);
            api.get("/api/admin/webhooks/" + endpoint + "/deliveries", token).expectProblem(403);
            api.post("/api/admin/webhooks/" + endpoint + "/deliveries/1/redeliver", token, Map.of()).expectProblem(403);
        }
        api.get("/api/admin/webhooks", null).expectProblem(401);
        assertTrue(api.get("/api/admin/webhooks/" + endpoint, admin).expect(200).json().get("enabled").getBooleanValue());
        assertEquals(1, db.count("SELECT count(*) FROM webhook_endpoints"));
    }

    private long register(String type) {
        JsonNode created = api.post("/api/admin/webhooks", admin,
                map("url", receiver.url(), "eventTypes", List.of(type))).expect(201).json();
        receiver.secret(created.get("secret").getStringValue());
        return created.get("id").getLongValue();
    }

    /** Records an event as a feature does, in a transaction of its own; returns its id. */
    private long record(EventType type) {
        tx.executeWrite(status -> {
            outbox.record(new DomainEvent(type, Audience.PUBLIC, 987654321L, null, null, null));
            return null;
        });
        return db.count("SELECT max(id) FROM outbox_events");
    }

    private JsonNode deliveries(long endpoint) {
        return api.get("/api/admin/webhooks/" + endpoint + "/deliveries", admin).expect(200).json().get("items");
    }

    private JsonNode onlyDelivery(long endpoint) {
        JsonNode items = deliveries(endpoint);
        assertEquals(1, items.size(), items.toString());
        return items.get(0);
    }

    private JsonNode json(String text) {
        try {
            return json.readValue(text, JsonNode.class);
        } catch (IOException e) {
            throw new AssertionError(text, e);
        }
    }
}
