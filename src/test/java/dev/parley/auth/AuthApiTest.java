package dev.parley.auth;

import dev.parley.support.Api;
import dev.parley.support.Api.User;
import dev.parley.support.Db;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Map;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class AuthApiTest {

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;
    @Inject
    io.micronaut.context.env.Environment environment;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(server, json);
    }

    @Test
    void registerReturnsTheUserWithEmailAndNeverThePassword() {
        String name = Api.unique("reg");
        var res = api.post("/api/auth/register", null,
                Map.of("username", name, "email", name + "@Example.com", "password", "correct horse battery"))
                .expect(201);
        assertEquals(name, res.text("username"));
        assertEquals("member", res.text("role"));
        assertEquals(name.toLowerCase() + "@example.com", res.text("email"));
        assertFalse(res.json().get("suspended").getBooleanValue());
        assertFalse(res.body().contains("password"));
        assertTrue(res.text("createdAt").endsWith("Z"));
    }

    @Test
    void passwordsAreStoredAsSaltedArgon2idHashes() {
        User a = api.register("salt");
        User b = api.register("salt");
        String hashA = passwordHash(a.username());
        String hashB = passwordHash(b.username());
        assertTrue(hashA.startsWith("$argon2id$"), hashA);
        assertFalse(hashA.contains("password-"));
        assertFalse(hashA.equals(hashB));
    }

    @Test
    void duplicateUsernameOrEmailIsAConflictIgnoringCase() {
        User user = api.register("dup");
        api.post("/api/auth/register", null, Map.of("username", user.username().toUpperCase(),
                "email", "other-" + user.username() + "@example.com", "password", "long enough")).expectProblem(409);
        api.post("/api/auth/register", null, Map.of("username", Api.unique("other"),
                "email", user.username().toUpperCase() + "@EXAMPLE.com", "password", "long enough"))
                .expectProblem(409);
    }

    @Test
    void registrationValidatesEveryField() {
        var res = api.post("/api/auth/register", null,
                Map.of("username", "a b", "email", "not-an-email", "password", "short"));
        res.expectInvalid("username").expectInvalid("email").expectInvalid("password");
        api.post("/api/auth/register", null, map("email", "x@example.com", "password", "long enough"))
                .expectInvalid("username");
    }

    @Test
    void malformedJsonIsABadRequest() {
        api.post("/api/auth/register", null, "{\"username\": ").expectProblem(400);
        api.post("/api/auth/register", null, "[1, 2]").expectProblem(400);
    }

    @Test
    void loginReturnsABearerTokenThatOpensMe() {
        User user = api.register("login");
        var login = api.post("/api/auth/login", null,
                Map.of("username", user.username(), "password", "password-" + user.username())).expect(200);
        assertEquals("Bearer", login.text("token_type"));
        assertEquals(user.username(), login.text("username"));
        assertEquals(3600, login.json().get("expires_in").getIntValue());
        assertEquals("member", login.json().get("roles").get(0).getStringValue());

        var me = api.get("/api/me", login.text("access_token")).expect(200);
        assertEquals(user.id(), me.id());
        assertEquals(user.username() + "@example.com", me.text("email"));
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSame401() {
        User user = api.register("wrong");
        var wrong = api.post("/api/auth/login", null, Map.of("username", user.username(), "password", "nope-nope"))
                .expectProblem(401);
        var unknown = api.post("/api/auth/login", null, Map.of("username", "ghost-user", "password", "nope-nope"))
                .expectProblem(401);
        assertEquals(wrong.text("detail"), unknown.text("detail"));
    }

    @Test
    void meNeedsAValidToken() {
        api.get("/api/me", null).expectProblem(401);
        api.get("/api/me", "not.a.jwt").expectProblem(401);
        User user = api.register("tamper");
        String[] parts = user.token().split("\\.");
        String forgedClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"sub\":\"root\",\"uid\":1,\"roles\":[\"admin\"],\"exp\":9999999999}").getBytes());
        api.get("/api/me", parts[0] + "." + forgedClaims + "." + parts[2]).expectProblem(401);
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        api.get("/api/me", none + "." + forgedClaims + ".").expectProblem(401);
    }

    @Test
    void onlyAdminsChangeRolesAndTheChangeAppliesToTheNextRequest() {
        User member = api.register("promote");
        User other = api.register("bystander");
        api.put("/api/admin/users/" + other.username() + "/role", member.token(), Map.of("role", "admin"))
                .expectProblem(403);
        api.put("/api/admin/users/" + member.username() + "/role", api.adminToken(), Map.of("role", "superuser"))
                .expectInvalid("role");
        api.put("/api/admin/users/nobody-here/role", api.adminToken(), Map.of("role", "moderator"))
                .expectProblem(404);

        var promoted = api.put("/api/admin/users/" + member.username() + "/role", api.adminToken(),
                Map.of("role", "moderator")).expect(200);
        assertEquals("moderator", promoted.text("role"));
        // The old token still says member; the database says moderator, and the database wins.
        api.post("/api/admin/users/" + other.username() + "/suspend", member.token(), Map.of()).expect(200);
    }

    @Test
    void anAdminCannotChangeTheirOwnRole() {
        api.put("/api/admin/users/" + Api.ADMIN + "/role", api.adminToken(), Map.of("role", "member"))
                .expectProblem(409);
    }

    @Test
    void aSuspendedUserCanReadButNotWriteUntilLifted() {
        User moderator = api.withRole("mod", "moderator");
        User member = api.register("suspect");
        String slug = api.category("susp");
        long threadId = api.thread(member, slug, "Before suspension", "still fine").get("id").getLongValue();

        var suspended = api.post("/api/admin/users/" + member.username() + "/suspend", moderator.token(),
                map("reason", "spam")).expect(200);
        assertTrue(suspended.json().get("suspended").getBooleanValue());
        assertNull(suspended.json().get("email"), "moderators do not see emails");

        api.get("/api/me", member.token()).expect(200);
        api.get("/api/threads/" + threadId, member.token()).expect(200);
        api.post("/api/threads/" + threadId + "/posts", member.token(), Map.of("body", "let me in"))
                .expectProblem(403);
        api.post("/api/threads", member.token(), Map.of("category", slug, "title", "New one", "body", "x"))
                .expectProblem(403);

        api.delete("/api/admin/users/" + member.username() + "/suspend", moderator.token()).expect(200);
        api.post("/api/threads/" + threadId + "/posts", member.token(), Map.of("body", "back again")).expect(201);
    }

    @Test
    void staffCanOnlySuspendUsersBelowThem() {
        User moderator = api.withRole("mod", "moderator");
        User otherModerator = api.withRole("mod", "moderator");
        User member = api.register("plain");
        api.post("/api/admin/users/" + otherModerator.username() + "/suspend", moderator.token(), Map.of())
                .expectProblem(403);
        api.post("/api/admin/users/" + Api.ADMIN + "/suspend", moderator.token(), Map.of()).expectProblem(403);
        api.post("/api/admin/users/" + moderator.username() + "/suspend", member.token(), Map.of())
                .expectProblem(403);
        api.post("/api/admin/users/" + otherModerator.username() + "/suspend", api.adminToken(), Map.of())
                .expect(200);
        api.post("/api/admin/users/ghost-user/suspend", moderator.token(), Map.of()).expectProblem(404);
    }

    @Test
    void theBootstrapAdminExists() {
        var me = api.get("/api/me", api.adminToken()).expect(200);
        assertEquals("admin", me.text("role"));
    }

    private String passwordHash(String username) {
        return (String) new Db(environment).value("SELECT password_hash FROM users WHERE username = ?", username);
    }
}
