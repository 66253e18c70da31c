package dev.parley.abuse;

import dev.parley.support.Api;
import dev.parley.support.ApiTest;
import dev.parley.support.ServiceInstance;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Base of the limit tests that run against two instances on one database, which share the
 * counters: the test's own service and {@link #other}, a second one in this JVM with the same
 * {@link #settings()}, started once for the class. 127.0.0.1 may be configured as a trusted proxy,
 * so that {@link #send} can pose as any client address through {@code X-Forwarded-For}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TwoInstanceLimitTest extends ApiTest implements TestPropertyProvider {

    private final HttpClient http = HttpClient.newHttpClient();

    ServiceInstance other;

    /** The settings of both instances: the class's small limits and whatever else it needs. */
    abstract Map<String, String> settings();

    @Override
    public final Map<String, String> getProperties() {
        return settings();
    }

    @BeforeAll
    void startSecondInstance() {
        other = ServiceInstance.start(new HashMap<>(settings()));
    }

    @AfterAll
    void stopSecondInstance() {
        other.close();
        // Counters charged under this class's small limits would refuse the next classes' requests.
        db.execute("DELETE FROM rate_limits");
        // Jobs queued at an advanced settable clock's time, with workers off: due now, so that the
        // next classes' real-time workers run them instead of waiting minutes.
        db.execute("UPDATE jobs SET run_at = now() WHERE state = 'queued' AND run_at > now()");
    }

    /** Sends {@code request} to {@code target} as if from {@code clientAddress}, signed in when a token is given. */
    Api.Res send(EmbeddedServer target, String clientAddress, String token, HttpRequest.Builder request) {
        request.header("X-Forwarded-For", clientAddress);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Api.Res(response.statusCode(), response.body(), response.headers(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The password the tests register {@code username} with. */
    static String password(String username) {
        return "password-" + username;
    }

    /** The whole seconds a 429 asks the client to wait. */
    static long retryAfter(Api.Res res) {
        String value = res.headers().firstValue("Retry-After").orElseThrow(() -> new AssertionError(
                "no Retry-After on " + res.status() + " " + res.body()));
        assertTrue(value.matches("[0-9]+"), "Retry-After is whole seconds: " + value);
        return Long.parseLong(value);
    }
}
