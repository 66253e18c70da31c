package dev.parley.abuse;

import dev.parley.support.Api;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Login limits over HTTP, against two instances on one database. The tests pose as many client
 * addresses: 127.0.0.1 is configured as a trusted proxy, so each request's {@code X-Forwarded-For}
 * names its client. Limits: 6 attempts per address, 2 failures per account and address, 5
 * failures per account, each per minute.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginRateLimitTest extends TwoInstanceLimitTest {

    private static final Map<String, String> PROPERTIES = Map.of(
            "parley.pipeline.workers-enabled", "false",
            "parley.limits.rate.trusted-proxies", "127.0.0.1,::1",
            "parley.limits.rate.login-address.limit", "6",
            "parley.limits.rate.login-address.window", "1m",
            "parley.limits.rate.login-account-address.limit", "2",
            "parley.limits.rate.login-account-address.window", "1m",
            "parley.limits.rate.login-account.limit", "5",
            "parley.limits.rate.login-account.window", "1m");
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @Override
    Map<String, String> settings() {
        return PROPERTIES;
    }

    @Test
    void anAttackerBlocksOnlyThemselvesNotTheOwnerAtAnotherAddress() {
        String victim = registerOnly("victim");
        String attacker = address();
        login(server, attacker, victim, "wrong-password-1").expectProblem(401);
        login(other.server(), attacker, victim, "wrong-password-2").expectProblem(401);
        // Refused before the password is looked at: even the right one gets 429 from here now.
        var refused = login(server, attacker, victim, password(victim)).expectProblem(429);
        long retryAfter = retryAfter(refused);
        assertTrue(retryAfter >= 1 && retryAfter <= 30, "2 per minute: one frees up within 30 s, got " + retryAfter);
        assertTrue(refused.text("detail").contains("Too many login attempts"), refused.body());
        login(other.server(), attacker, victim, password(victim)).expectProblem(429);

        login(other.server(), address(), victim, password(victim)).expect(200);
        login(server, address(), victim, password(victim)).expect(200);
    }

    @Test
    void successfulLoginsAreNotCountedAsFailures() {
        String user = registerOnly("regular");
        String home = address();
        for (int i = 0; i < 5; i++) {
            login(i % 2 == 0 ? server : other.server(), home, user, password(user)).expect(200);
        }
        login(server, home, user, "typo-password").expectProblem(401);
    }

    @Test
    void failuresFromManyAddressesMeetTheAccountCeiling() {
        String target = registerOnly("target");
        for (int i = 0; i < 5; i++) {
            String from = address();
            login(i % 2 == 0 ? server : other.server(), from, target, "guess-" + i).expectProblem(401);
        }
        login(other.server(), address(), target, "guess-6").expectProblem(429);
        // The documented price of the ceiling: under a distributed attack the owner waits too.
        login(server, address(), target, password(target)).expectProblem(429);
        String bystander = registerOnly("bystander");
        login(server, address(), bystander, password(bystander)).expect(200);
    }

    @Test
    void everyAttemptCountsAgainstTheAddressWhateverTheAccount() {
        String sprayer = address();
        for (int i = 0; i < 6; i++) {
            // Unknown usernames count exactly like real ones: the limits reveal no account.
            login(i % 2 == 0 ? server : other.server(), sprayer, Api.unique("ghost"), "spray-password")
                    .expectProblem(401);
        }
        String real = registerOnly("sprayed");
        var refused = login(server, sprayer, real, password(real)).expectProblem(429);
        assertTrue(retryAfter(refused) <= 10, "6 per minute: one frees up within 10 s");
        login(server, address(), real, password(real)).expect(200);
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64() {
        String user = registerOnly("six");
        int n = ADDRESSES.incrementAndGet();
        login(server, "2001:db8:" + Integer.toHexString(n) + ":1::a", user, "wrong-1").expectProblem(401);
        login(server, "2001:db8:" + Integer.toHexString(n) + ":1::b", user, "wrong-2").expectProblem(401);
        login(server, "2001:db8:" + Integer.toHexString(n) + ":1:ffff::c", user, password(user)).expectProblem(429);
        login(server, "2001:db8:" + Integer.toHexString(n) + ":2::a", user, password(user)).expect(200);
    }

    /** Registers without logging in (the helper's login would come from 127.0.0.1 itself). */
    private String registerOnly(String prefix) {
        String username = Api.unique(prefix);
        api.post("/api/auth/register", null, Map.of("username", username, "email", username + "@example.com",
                "password", password(username))).expect(201);
        return username;
    }

    /** A fresh client address from TEST-NET-3. */
    private static String address() {
        int n = ADDRESSES.incrementAndGet();
        return "203.0." + (113 + n / 250) + "." + (n % 250 + 1);
    }

    private Api.Res login(EmbeddedServer target, String clientAddress, String username, String password) {
        String body = "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
        return send(target, clientAddress, null, HttpRequest.newBuilder(target.getURI().resolve("/api/auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }
}
