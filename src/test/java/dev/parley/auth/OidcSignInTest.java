package dev.parley.auth;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.parley.support.Api;
import dev.parley.support.ApiTest;
import dev.parley.support.FakeIdentityProvider;
import dev.parley.support.SettableClock;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sign-in through an external OpenID Connect provider, played by {@link FakeIdentityProvider}: its
 * RS256 and ES256 access tokens are accepted, verified against its JWKS; the account is created
 * once on first sight; Parley's role changes and suspensions apply; rotated keys are picked up;
 * tokens of another issuer or audience, expired ones, unsigned ones are refused.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcSignInTest extends ApiTest implements TestPropertyProvider {

    private final FakeIdentityProvider idp = new FakeIdentityProvider(18610, 18699);
    private final RSAKey rsa = idp.rsaKey(true);

    @Inject
    SettableClock clock;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("parley.oidc.issuer", idp.issuer(),
                "parley.oidc.audience", FakeIdentityProvider.AUDIENCE,
                "parley.oidc.role-claim", "realm_access.roles",
                "micronaut.security.token.jwt.signatures.jwks.oidc.url", idp.jwksUrl(),
                "parley.test.settable-clock", "true");
    }

    @AfterAll
    void stop() {
        idp.close();
    }

    private JWTClaimsSet person(String subject, String username) {
        return idp.claims(subject).claim("preferred_username", username).claim("email", username + "@idp.example")
                .build();
    }

    @Test
    void theFirstSignInCreatesTheAccountOnceEvenWhenRequestsRace() throws Exception {
        String subject = "sub-" + Api.unique("race");
        String username = Api.unique("ext");
        String token = idp.sign(rsa, person(subject, username));
        int racers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Api.Res>> answers = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return api.get("/api/me", token);
                }));
            }
            start.countDown();
            Set<Long> ids = new HashSet<>();
            for (Future<Api.Res> answer : answers) {
                JsonNode me = answer.get().expect(200).json();
                ids.add(me.get("id").getLongValue());
                assertEquals(username, me.get("username").getStringValue());
                assertEquals(username + "@idp.example", me.get("email").getStringValue());
                assertEquals("member", me.get("role").getStringValue());
            }
            assertEquals(1, ids.size(), ids.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, db.count("SELECT count(*) FROM external_identities WHERE subject = ?", subject));
        assertEquals(1, db.count("SELECT count(*) FROM users WHERE username = ?", username));
        assertEquals(null, db.value("SELECT password_hash FROM users WHERE username = ?", username));
    }

    @Test
    void differentPeopleSigningInAtOnceWithTheSameNameEachGetAnAccount() throws Exception {
        String username = Api.unique("same");
        int racers = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Api.Res>> answers = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                String token = idp.sign(rsa, person("sub-" + Api.unique("person"), username));
                answers.add(pool.submit(() -> {
                    start.await();
                    return api.get("/api/me", token);
                }));
            }
            start.countDown();
            Set<String> names = new HashSet<>();
            for (Future<Api.Res> answer : answers) {
                names.add(answer.get().expect(200).text("username"));
            }
            assertEquals(racers, names.size(), names.toString());
            assertTrue(names.contains(username), names.toString());
        } finally {
            pool.shutdownNow();
        }
        // One of them has the email; the others' accounts are created without it rather than refused.
        assertEquals(1, db.count("SELECT count(*) FROM users WHERE email = ?", username + "@idp.example"));
    }

    @Test
    void parleysRoleChangesAndSuspensionsApplyWhateverTheProviderSays() {
        String username = Api.unique("extmod");
        String token = idp.sign(rsa, idp.claims("sub-" + username).claim("preferred_username", username)
                .claim("realm_access", Map.of("roles", List.of("offline_access", "moderator"))).build());
        assertEquals("moderator", api.get("/api/me", token).expect(200).text("role"));
        api.get("/api/moderation/queue", token).expect(200);

        String admin = api.adminToken();
        api.put("/api/admin/users/" + username + "/role", admin, Map.of("role", "member")).expect(200);
        api.get("/api/moderation/queue", token).expectProblem(403);

        api.post("/api/admin/users/" + username + "/suspend", admin, Map.of()).expect(200);
        api.get("/api/me", token).expect(200);
        api.post("/api/threads", token, Map.of("category", "general", "title", "Suspended", "body", "no"))
                .expectProblem(403);
    }

    @Test
    void es256TokensAreAcceptedToo() {
        ECKey ec = idp.ecKey();
        // Past the key cache's lifetime, whatever the tests before fetched.
        clock.advance(Duration.ofMinutes(6));
        String username = Api.unique("extec");
        api.get("/api/me", idp.sign(ec, person("sub-" + username, username))).expect(200);
    }

    @Test
    void aTakenOrMissingNameGetsASuffixAndNeverTheExistingAccount() {
        Api.User local = api.register("localname");
        String token = idp.sign(rsa, person("sub-" + Api.unique("clash"), local.username()));
        JsonNode me = api.get("/api/me", token).expect(200).json();
        assertNotEquals(local.id(), me.get("id").getLongValue());
        assertTrue(me.get("username").getStringValue().startsWith(local.username() + "-"), me.toString());

        JsonNode nameless = api.get("/api/me", idp.sign(rsa, idp.claims("sub-" + Api.unique("anon")).build()))
                .expect(200).json();
        assertTrue(nameless.get("username").getStringValue().startsWith("user-"), nameless.toString());
    }

    @Test
    void rotatedKeysArePickedUpAtOnceAndWithdrawnOnesStopWorking() {
        String username = Api.unique("rotate");
        String subject = "sub-" + username;
        api.get("/api/me", idp.sign(rsa, person(subject, username))).expect(200);

        // The provider rotates without publishing ahead: the new key id is unknown to Parley's cache.
        RSAKey next = idp.rsaKey(true);
        idp.withdraw(rsa);
        clock.advance(Duration.ofSeconds(31));
        int before = idp.jwksRequests();
        api.get("/api/me", idp.sign(next, person(subject, username))).expect(200);
        assertEquals(before + 1, idp.jwksRequests());
        // The withdrawn key is gone from the fetched set.
        api.get("/api/me", idp.sign(rsa, person(subject, username))).expectProblem(401);

        // Made-up key ids fetch the keys again at most once per interval.
        int afterRotation = idp.jwksRequests();
        for (int i = 0; i < 5; i++) {
            api.get("/api/me", idp.sign(idp.rsaKey(false), person(subject, username))).expectProblem(401);
        }
        assertEquals(afterRotation, idp.jwksRequests());
        idp.publish(rsa);
        clock.advance(Duration.ofMinutes(6));
        api.get("/api/me", idp.sign(rsa, person(subject, username))).expect(200);
    }

    @Test
    void wrongIssuerWrongAudienceExpiredUnsignedAndForgedTokensAreRefused() {
        String username = Api.unique("refused");
        String subject = "sub-" + username;
        api.get("/api/me", idp.sign(rsa, person(subject, username))).expect(200);

        JWTClaimsSet good = person(subject, username);
        api.get("/api/me", idp.sign(rsa, new JWTClaimsSet.Builder(good).issuer("https://evil.example/").build()))
                .expectProblem(401);
        api.get("/api/me", idp.sign(rsa, new JWTClaimsSet.Builder(good).audience("another-api").build()))
                .expectProblem(401);
        api.get("/api/me", idp.sign(rsa, new JWTClaimsSet.Builder(good).audience((String) null).build()))
                .expectProblem(401);
        Date past = new Date(System.currentTimeMillis() - 120_000);
        api.get("/api/me", idp.sign(rsa, new JWTClaimsSet.Builder(good).expirationTime(past).build()))
                .expectProblem(401);
        api.get("/api/me", idp.sign(rsa, new JWTClaimsSet.Builder(good).expirationTime(null).build()))
                .expectProblem(401);
        // Signed by a key the provider never published, under the published key's id.
        RSAKey impostor = idp.rsaKey(false);
        String forged = idp.sign(rsa, good);
        String[] parts = forged.split("\\.");
        String resigned = idp.sign(impostor, good);
        api.get("/api/me", parts[0] + "." + parts[1] + "." + resigned.split("\\.")[2]).expectProblem(401);
        // alg: none with the provider's claims.
        String none = b64("{\"alg\":\"none\",\"kid\":\"" + rsa.getKeyID() + "\"}") + "." + parts[1] + ".";
        api.get("/api/me", none).expectProblem(401);
        // A provider's token cannot pass as a local one by carrying Parley's claims.
        JsonNode me = api.get("/api/me", idp.sign(rsa, new JWTClaimsSet.Builder(person("sub-" + Api.unique("x"),
                Api.unique("x"))).claim("uid", 1L).claim("sid", 1L).build())).expect(200).json();
        assertNotEquals(1L, me.get("id").getLongValue());
        assertNotEquals(Api.ADMIN, me.get("username").getStringValue());
    }

    @Test
    void localAccountsKeepWorkingBesideTheProvider() {
        Api.User user = api.register("localuser");
        assertEquals(user.id(), api.get("/api/me", user.token()).expect(200).id());
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
