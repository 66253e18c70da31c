package dev.parley.webhooks;

import dev.parley.events.Audience;
import dev.parley.events.DomainEvent;
import dev.parley.events.EventType;
import dev.parley.events.Outbox;
import dev.parley.pipeline.WorkerPool;
import dev.parley.pipeline.WorkerPools;
import dev.parley.support.ApiTest;
import dev.parley.support.SettableClock;
import dev.parley.support.WebhookReceiver;
import io.micronaut.context.annotation.Property;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guard against server-side request forgery, with the production setting: no private target
 * allowed. Registration refuses URLs whose host is or resolves to a non-public address, and a delivery
 * whose host resolves to one by the time of the attempt (DNS pointed elsewhere after registration,
 * played here by an endpoint row naming {@code localhost}) is not sent at all.
 */
@MicronautTest(transactional = false)
@Property(name = "parley.pipeline.workers-enabled", value = "false")
@Property(name = "parley.test.settable-clock", value = "true")
class WebhookTargetGuardTest extends ApiTest {

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

    @AfterEach
    void cleanUp() {
        // Endpoints would get later tests' events; the retry waiting for this one's then finds nothing to send.
        db.execute("DELETE FROM webhook_endpoints");
        clock.advance(Duration.ofDays(1));
        pools.create("cleanup", deliveryHandler).runDue();
    }

    @Test
    void registrationRefusesTargetsThatAreNotPublic() {
        String admin = api.adminToken();
        long before = db.count("SELECT count(*) FROM webhook_endpoints");
        List<String> passed = new ArrayList<>();
        for (String url : List.of("http://127.0.0.1:9/hook", "http://localhost/hook", "http://[::1]/hook",
                "http://10.1.2.3/", "http://172.16.0.1/", "http://192.168.1.1/",
                "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/", "http://[fd00::1]/",
                "http://[fe80::1]/", "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/", "http://[64:ff9b::a9fe:a9fe]/",
                "http://224.0.0.1/")) {
            var res = api.post("/api/admin/webhooks", admin, map("url", url, "eventTypes", List.of("thread.locked")));
            if (res.status() != 400) {
                passed.add(url + " → " + res.status() + " " + res.body());
            } else {
                res.expectProblem(400);
            }
        }
        assertTrue(passed.isEmpty(), String.join("\n", passed));
        assertEquals(before, db.count("SELECT count(*) FROM webhook_endpoints"));
    }

    @Test
    void aHostThatResolvesToLoopbackAtDeliveryIsNotCalled() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(clock)) {
            long lastEvent = db.count("SELECT coalesce(max(id), 0) FROM outbox_events");
            Timestamp now = Timestamp.from(clock.instant());
            long endpoint = db.count("""
                    INSERT INTO webhook_endpoints (url, event_types, secret, last_event_id, created_at, updated_at)
                    VALUES (?, ARRAY['thread.locked'], ?, ?, ?, ?) RETURNING id""",
                    "http://localhost:" + receiver.port() + "/hook", WebhookSecret.generate().value(), lastEvent,
                    now, now);
            tx.executeWrite(status -> {
                outbox.record(new DomainEvent(EventType.THREAD_LOCKED, Audience.PUBLIC, 987654321L, null, null, null));
                return null;
            });
            WorkerPool pool = pools.create("guarded", deliveryHandler);
            assertEquals(1, fanOut.run());
            assertEquals(1, pool.runDue());

            assertEquals(0, receiver.received().size(), "no request reached the loopback address");
            JsonNode delivery = api.get("/api/admin/webhooks/" + endpoint + "/deliveries", api.adminToken())
                    .expect(200).json().get("items").get(0);
            JsonNode attempt = delivery.get("log").get(0);
            assertTrue(attempt.get("status").isNull());
            String error = attempt.get("error").getStringValue();
            assertTrue(error.startsWith("target refused") && error.contains("loopback"), error);
            assertEquals(1, db.count("SELECT consecutive_failures FROM webhook_endpoints WHERE id = ?", endpoint));
        }
    }

    @Test
    void addressClassesOfLiterals() throws UnknownHostException {
        assertEquals(Optional.empty(), classOf("93.184.216.34"));
        assertEquals(Optional.empty(), classOf("172.32.0.1"));
        assertEquals(Optional.empty(), classOf("100.128.0.1"));
        assertEquals(Optional.empty(), classOf("2606:4700:4700::1111"));
        assertEquals(Optional.of(AddressClass.LOOPBACK), classOf("127.8.9.10"));
        assertEquals(Optional.of(AddressClass.LOOPBACK), classOf("::1"));
        assertEquals(Optional.of(AddressClass.LOOPBACK), classOf("::ffff:127.0.0.1"));
        assertEquals(Optional.of(AddressClass.PRIVATE), classOf("172.31.255.255"));
        assertEquals(Optional.of(AddressClass.PRIVATE), classOf("fc12::1"));
        assertEquals(Optional.of(AddressClass.PRIVATE), classOf("64:ff9b::a00:1"));
        assertEquals(Optional.of(AddressClass.LINK_LOCAL), classOf("169.254.169.254"));
        assertEquals(Optional.of(AddressClass.LINK_LOCAL), classOf("fe80::abcd"));
        assertEquals(Optional.of(AddressClass.SHARED), classOf("100.127.255.1"));
        assertEquals(Optional.of(AddressClass.UNROUTABLE), classOf("0.0.0.0"));
        assertEquals(Optional.of(AddressClass.UNROUTABLE), classOf("::"));
        assertEquals(Optional.of(AddressClass.UNROUTABLE), classOf("ff02::1"));
        assertEquals(Optional.of(AddressClass.UNROUTABLE), classOf("255.255.255.255"));
    }

    @Test
    void signaturesMatchTheStandardWebhooksTestVector() {
        // The specification's own example: secret, message id, timestamp, payload and signature.
        WebhookSecret secret = WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                secret.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"));
    }

    private static Optional<AddressClass> classOf(String literal) throws UnknownHostException {
        return AddressClass.of(InetAddress.getByName(literal));
    }
}
