package dev.parley.auth;

import dev.parley.support.Api;
import dev.parley.support.Api.Res;
import dev.parley.support.Api.User;
import dev.parley.support.ApiTest;
import dev.parley.support.SettableClock;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sessions that last and end when they should: refresh tokens rotate once and a reused one revokes
 * its session; logout and a password change revoke; refresh tokens expire (the clock is moved by hand).
 */
@MicronautTest(transactional = false)
@Property(name = "parley.test.settable-clock", value = "true")
class AccountSessionsTest extends ApiTest {

    @Inject
    SettableClock clock;

    @Inject
    RefreshTokenPurge purge;

    /** A login as the service answers it: the access and the refresh token of one new session. */
    record Login(String access, String refresh) {
    }

    private Login login(String username, String password) {
        Res res = api.post("/api/auth/login", null, Map.of("username", username, "password", password)).expect(200);
        return new Login(res.text("access_token"), res.text("refresh_token"));
    }

    private Login login(User user) {
        return login(user.username(), "password-" + user.username());
    }

    private Res refresh(String refreshToken) {
        return api.post("/api/auth/refresh", null, Map.of("refresh_token", refreshToken));
    }

    @Test
    void loginAnswersARefreshTokenThatIsStoredOnlyAsItsSha256() throws Exception {
        User user = api.register("hashed");
        Res res = api.post("/api/auth/login", null,
                Map.of("username", user.username(), "password", "password-" + user.username())).expect(200);
        String refreshToken = res.text("refresh_token");
        assertEquals(30L * 24 * 3600, res.json().get("refresh_expires_in").getLongValue());
        assertEquals(3600, res.json().get("expires_in").getIntValue());
        assertTrue(refreshToken.length() >= 43, refreshToken);

        byte[] stored = (byte[]) db.value("""
                SELECT t.token_hash FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
                 WHERE s.user_id = ? ORDER BY t.id DESC LIMIT 1""", user.id());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(refreshToken.getBytes(StandardCharsets.UTF_8)),
                stored);
    }

    @Test
    void aRefreshTokenRenewsAccessOnceAndItsReuseRevokesTheWholeSession() {
        User user = api.register("rotate");
        Login first = login(user);
        Login elsewhere = login(user);

        Res renewed = refresh(first.refresh()).expect(200);
        String access2 = renewed.text("access_token");
        String refresh2 = renewed.text("refresh_token");
        assertNotEquals(first.refresh(), refresh2);
        assertEquals(user.username(), renewed.text("username"));
        api.get("/api/me", access2).expect(200);

        // The used token again: refused, and the session it belongs to ends, whoever holds which token.
        refresh(first.refresh()).expectProblem(401);
        refresh(refresh2).expectProblem(401);
        api.get("/api/me", access2).expectProblem(401);
        api.get("/api/me", first.access()).expectProblem(401);
        assertEquals("reuse", db.value("""
                SELECT s.revoked_reason FROM sessions s JOIN refresh_tokens t ON t.session_id = s.id
                 WHERE t.token_hash = sha256(convert_to(?, 'UTF8'))""", first.refresh()));

        // Another sign-in of the same account is another session and goes on.
        api.get("/api/me", elsewhere.access()).expect(200);
        refresh(elsewhere.refresh()).expect(200);
    }

    @Test
    void unknownMalformedAndMissingRefreshTokensAreRefused() {
        refresh("not-a-token-anyone-issued").expectProblem(401);
        api.post("/api/auth/refresh", null, Map.of()).expectInvalid("refreshToken");
        api.post("/api/auth/refresh", null, "{\"refresh_token\": ").expectProblem(400);
    }

    @Test
    void aRefreshTokenExpiresAfterItsLifetimeAndEachRotationStartsAFullOne() {
        User user = api.register("expiry");
        Login login = login(user);
        clock.advance(Duration.ofDays(29));
        String next = refresh(login.refresh()).expect(200).text("refresh_token");
        clock.advance(Duration.ofDays(29));
        String last = refresh(next).expect(200).text("refresh_token");
        clock.advance(Duration.ofDays(30).plusSeconds(1));
        refresh(last).expectProblem(401);
    }

    @Test
    void thePurgeDeletesExpiredTokensAndTheSessionsLeftWithoutAnyButNotLiveOnes() {
        User user = api.register("purged");
        Login ending = login(user);
        clock.advance(Duration.ofDays(20));
        Login live = login(user);
        clock.advance(Duration.ofDays(10).plusSeconds(1));

        purge.purge();
        assertEquals(1, db.count("SELECT count(*) FROM sessions WHERE user_id = ?", user.id()),
                "the session whose only token expired is gone, the younger one stays");
        assertEquals(1, db.count("SELECT count(*) FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id"
                + " WHERE s.user_id = ?", user.id()));
        refresh(ending.refresh()).expectProblem(401);
        refresh(live.refresh()).expect(200);
    }

    @Test
    void logoutRevokesTheSessionOfTheBearerTokenAndOnlyThatOne() {
        User user = api.register("logout");
        Login phone = login(user);
        Login laptop = login(user);

        api.post("/api/auth/logout", phone.access(), null).expect(204);
        api.get("/api/me", phone.access()).expectProblem(401);
        refresh(phone.refresh()).expectProblem(401);
        api.get("/api/me", laptop.access()).expect(200);

        // With an expired access token, the refresh token alone logs out.
        api.post("/api/auth/logout", null, Map.of("refresh_token", laptop.refresh())).expect(204);
        api.get("/api/me", laptop.access()).expectProblem(401);
        refresh(laptop.refresh()).expectProblem(401);

        api.post("/api/auth/logout", null, null).expectProblem(401);
        api.post("/api/auth/logout", null, Map.of("refresh_token", "unknown")).expectProblem(401);
    }

    @Test
    void aPasswordChangeNeedsTheCurrentPasswordAndRevokesEveryOtherSession() {
        User user = api.register("passwd");
        String old = "password-" + user.username();
        Login here = login(user);
        Login there = login(user);

        api.put("/api/me/password", here.access(), map("currentPassword", "not-the-password",
                "newPassword", "a brand new password")).expectProblem(403);
        api.get("/api/me", there.access()).expect(200);
        api.put("/api/me/password", here.access(), map("currentPassword", old, "newPassword", "short"))
                .expectInvalid("newPassword");
        api.put("/api/me/password", null, map("currentPassword", old, "newPassword", "a brand new password"))
                .expectProblem(401);

        api.put("/api/me/password", here.access(), map("currentPassword", old,
                "newPassword", "a brand new password")).expect(204);
        api.get("/api/me", here.access()).expect(200);
        refresh(here.refresh()).expect(200);
        api.get("/api/me", there.access()).expectProblem(401);
        refresh(there.refresh()).expectProblem(401);

        api.post("/api/auth/login", null, Map.of("username", user.username(), "password", old)).expectProblem(401);
        login(user.username(), "a brand new password");
    }

    @Test
    void aSuspendedUserCanStillRefreshAndLogOut() {
        User moderator = api.withRole("sessmod", "moderator");
        User user = api.register("suspref");
        Login login = login(user);
        api.post("/api/admin/users/" + user.username() + "/suspend", moderator.token(), Map.of()).expect(200);
        String access = refresh(login.refresh()).expect(200).text("access_token");
        api.get("/api/me", access).expect(200);
        api.post("/api/auth/logout", access, null).expect(204);
        api.get("/api/me", access).expectProblem(401);
    }

}
