package dev.parley.auth;

import dev.parley.support.Api;
import dev.parley.support.Api.User;
import dev.parley.support.ApiTest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deleting an account, by its owner with the password or by an admin: it can no longer sign in, its
 * personal data is gone, and its posts stay published and searchable, shown as by a deleted user.
 */
@MicronautTest(transactional = false)
class AccountDeletionTest extends ApiTest {

    @Test
    void aDeletedAccountCannotSignInItsDataIsGoneAndItsPostsReadAsFromADeletedUser() {
        long firstJob = jobs.mark();
        User user = api.register("leaving");
        String password = "password-" + user.username();
        String word = "zyzzogeton" + Api.unique("w").replaceAll("[^a-z]", "");
        JsonNode thread = api.thread(user, "general", "Thread of a member who leaves", "About the " + word + " today.");
        long threadId = thread.get("id").getLongValue();
        long postId = thread.get("firstPost").get("id").getLongValue();
        var login = api.post("/api/auth/login", null, Map.of("username", user.username(), "password", password))
                .expect(200);
        String refreshToken = login.text("refresh_token");

        api.send("DELETE", "/api/me", user.token(), Map.of("password", "not-my-password")).expectProblem(403);
        api.send("DELETE", "/api/me", user.token(), Map.of()).expectInvalid("password");
        api.get("/api/me", user.token()).expect(200);

        api.send("DELETE", "/api/me", user.token(), Map.of("password", password)).expect(204);

        // No way back in: not with the password, not with the old tokens.
        api.post("/api/auth/login", null, Map.of("username", user.username(), "password", password)).expectProblem(401);
        api.get("/api/me", user.token()).expectProblem(401);
        api.get("/api/me", login.text("access_token")).expectProblem(401);
        api.post("/api/auth/refresh", null, Map.of("refresh_token", refreshToken)).expectProblem(401);

        // Personal data is gone; the row stays as the author of the posts.
        assertEquals(UserAccount.DELETED_USERNAME, db.value("SELECT username FROM users WHERE id = ?", user.id()));
        assertNull(db.value("SELECT email FROM users WHERE id = ?", user.id()));
        assertNull(db.value("SELECT password_hash FROM users WHERE id = ?", user.id()));
        assertNotNull(db.value("SELECT deleted_at FROM users WHERE id = ?", user.id()));
        assertEquals(0, db.count("SELECT count(*) FROM users WHERE lower(username) = lower(?)", user.username()));
        assertEquals(0, db.count("SELECT count(*) FROM users WHERE email LIKE ?", user.username() + "%"));
        assertEquals(0, db.count("""
                SELECT count(*) FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE s.user_id = ?""",
                user.id()));
        assertEquals(0, db.count("SELECT count(*) FROM sessions WHERE user_id = ? AND revoked_at IS NULL", user.id()));

        // The posts stay published and searchable, by "[deleted]".
        JsonNode post = api.get("/api/posts/" + postId, null).expect(200).json();
        assertEquals("published", post.get("status").getStringValue());
        assertEquals(UserAccount.DELETED_USERNAME, post.get("author").get("username").getStringValue());
        assertEquals(user.id(), post.get("author").get("id").getLongValue());
        JsonNode readThread = api.get("/api/threads/" + threadId, null).expect(200).json();
        assertEquals(UserAccount.DELETED_USERNAME, readThread.get("author").get("username").getStringValue());
        // Keyword documents are written by the indexing job, after publication.
        jobs.since(firstJob, "moderate", "embed").awaitFinished();
        String found = api.get("/api/search?mode=keyword&q=" + word, null).expect(200).body();
        assertTrue(found.contains("\"id\":" + threadId), found);

        // The name is free for someone new, who inherits nothing.
        var again = api.post("/api/auth/register", null, Map.of("username", user.username(),
                "email", user.username() + "@example.com", "password", password)).expect(201);
        assertNotEquals(user.id(), again.id());
    }

    @Test
    void anAdminDeletesAnotherAccountWithoutItsPassword() {
        User member = api.register("removed");
        User other = api.register("notadmin");
        String admin = api.adminToken();

        api.delete("/api/admin/users/" + member.username(), other.token()).expectProblem(403);
        api.delete("/api/admin/users/nobody-at-all", admin).expectProblem(404);
        api.delete("/api/admin/users/" + Api.ADMIN, admin).expectProblem(409);
        api.delete("/api/admin/users/" + member.username(), admin).expect(204);

        api.get("/api/me", member.token()).expectProblem(401);
        api.post("/api/auth/login", null, Map.of("username", member.username(),
                "password", "password-" + member.username())).expectProblem(401);
        api.delete("/api/admin/users/" + member.username(), admin).expectProblem(404);
        assertNull(db.value("SELECT email FROM users WHERE id = ?", member.id()));
    }
}
