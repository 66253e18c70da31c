package dev.parley.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.support.Api;
import dev.parley.support.Api.User;
import dev.parley.support.ApiTest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Forged, tampered, expired and orphaned tokens are refused with 401; a suspended user's valid
 * token reads but does not write (403). Tokens are built here with the test's signing secret, so
 * a refusal is about the one thing each test changes.
 */
@MicronautTest(transactional = false)
class TokenAttackTest extends ApiTest {

    private static final String SECRET = "test-only-secret-that-is-at-least-32-bytes-long";

    @Test
    void aCorrectlySignedTokenIsAccepted() throws Exception {
        User user = api.register("genuine");
        api.get("/api/me", sign(SECRET, JWSAlgorithm.HS256, claims(user, 3600))).expect(200);
    }

    @Test
    void anUnsignedAlgNoneTokenIsRefused() {
        User user = api.register("algnone");
        for (String alg : new String[]{"none", "None", "NONE"}) {
            String header = b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}");
            String payload = b64("{\"sub\":\"" + Api.ADMIN + "\",\"uid\":1,\"roles\":[\"admin\"],\"exp\":9999999999}");
            api.get("/api/me", header + "." + payload + ".").expectProblem(401);
            api.get("/api/me", header + "." + payload + "." + user.token().split("\\.")[2]).expectProblem(401);
            api.get("/api/admin/pipeline", header + "." + payload + ".").expectProblem(401);
        }
    }

    @Test
    void aTokenSignedWithAnotherSecretOrAlgorithmIsRefused() throws Exception {
        User user = api.register("forger");
        api.get("/api/me", sign("another-secret-that-is-also-at-least-32-bytes", JWSAlgorithm.HS256,
                claims(user, 3600))).expectProblem(401);
        api.get("/api/me", sign(SECRET + SECRET, JWSAlgorithm.HS512, claims(user, 3600))).expectProblem(401);
        // A genuine signature over other claims: the payload was swapped.
        String[] genuine = user.token().split("\\.");
        String forged = b64("{\"sub\":\"" + Api.ADMIN + "\",\"uid\":1,\"roles\":[\"admin\"],\"exp\":9999999999}");
        api.get("/api/admin/pipeline", genuine[0] + "." + forged + "." + genuine[2]).expectProblem(401);
        // A truncated signature.
        api.get("/api/me", genuine[0] + "." + genuine[1] + "." + genuine[2].substring(0, 10)).expectProblem(401);
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        User user = api.register("expired");
        api.get("/api/me", sign(SECRET, JWSAlgorithm.HS256, claims(user, -120))).expectProblem(401);
        api.post("/api/threads", sign(SECRET, JWSAlgorithm.HS256, claims(user, -120)),
                Map.of("category", "general", "title", "Too late", "body", "expired")).expectProblem(401);
    }

    @Test
    void aValidlySignedTokenThatLiesAboutTheUserIsRefused() throws Exception {
        User user = api.register("liar");
        // Right signature, but the uid belongs to the admin while the subject is the member.
        JWTClaimsSet mismatched = new JWTClaimsSet.Builder(claims(user, 3600)).claim("uid", 1L).build();
        api.get("/api/admin/pipeline", sign(SECRET, JWSAlgorithm.HS256, mismatched)).expectProblem(401);
        // Roles in the token are not believed: the database says member.
        JWTClaimsSet inflated = new JWTClaimsSet.Builder(claims(user, 3600)).claim("roles", List.of("admin")).build();
        api.get("/api/admin/pipeline", sign(SECRET, JWSAlgorithm.HS256, inflated)).expectProblem(403);
    }

    @Test
    void aTokenOfADeletedUserIsRefused() {
        User user = api.register("deleted");
        api.get("/api/me", user.token()).expect(200);
        db.execute("DELETE FROM users WHERE id = ?", user.id());
        api.get("/api/me", user.token()).expectProblem(401);
        api.post("/api/threads", user.token(), Map.of("category", "general", "title", "Ghost", "body", "boo"))
                .expectProblem(401);
        // A new account that takes the same name does not inherit the old token.
        String password = "password-" + user.username();
        api.post("/api/auth/register", null, Map.of("username", user.username(),
                "email", "new-" + user.username() + "@example.com", "password", password)).expect(201);
        api.get("/api/me", user.token()).expectProblem(401);
    }

    @Test
    void aSuspendedUsersTokenReadsButCannotWriteAndTheSuspensionAppliesAtOnce() {
        User moderator = api.withRole("tokmod", "moderator");
        User user = api.register("suspended");
        api.post("/api/admin/users/" + user.username() + "/suspend", moderator.token(), Map.of()).expect(200);
        api.get("/api/me", user.token()).expect(200);
        api.post("/api/threads", user.token(), Map.of("category", "general", "title", "Blocked", "body", "no"))
                .expectProblem(403);
        api.put("/api/posts/1/vote", user.token(), Map.of("value", 1)).expectProblem(403);
    }

    @Test
    void aTokenWithoutASessionOrOfAnotherUsersSessionIsRefused() throws Exception {
        User user = api.register("sessionless");
        User other = api.register("othersession");
        JWTClaimsSet withoutSession = new JWTClaimsSet.Builder(claims(user, 3600)).claim("sid", null).build();
        api.get("/api/me", sign(SECRET, JWSAlgorithm.HS256, withoutSession)).expectProblem(401);
        JWTClaimsSet borrowed = new JWTClaimsSet.Builder(claims(user, 3600)).claim("sid", sessionOf(other)).build();
        api.get("/api/me", sign(SECRET, JWSAlgorithm.HS256, borrowed)).expectProblem(401);
    }

    /** Claims like the service's own, in the session of the user's login. */
    private static JWTClaimsSet claims(User user, long secondsToLive) throws Exception {
        Date now = new Date();
        return new JWTClaimsSet.Builder().subject(user.username()).claim("uid", user.id())
                .claim("sid", sessionOf(user))
                .claim("roles", List.of("member")).issueTime(now)
                .expirationTime(new Date(now.getTime() + secondsToLive * 1000)).build();
    }

    private static long sessionOf(User user) throws Exception {
        return SignedJWT.parse(user.token()).getJWTClaimsSet().getLongClaim("sid");
    }

    private static String sign(String secret, JWSAlgorithm algorithm, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
