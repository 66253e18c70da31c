package dev.parley.auth;

import dev.parley.support.Api;
import dev.parley.support.Api.User;
import dev.parley.support.ApiTest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every API route and the least role it needs, checked against the router: a new endpoint without
 * a row here fails the first test. Anonymous callers get 401 on every route that needs a role,
 * members get 403 on every staff route, and moderators get 403 on every admin route. Bodies are
 * valid where validation would otherwise answer first; ids point at nothing, so an allowed call
 * would answer 404 or the like, never 403.
 */
@MicronautTest(transactional = false)
class AuthorizationMatrixTest extends ApiTest {

    enum Access { ANYONE, MEMBER, MODERATOR, ADMIN }

    private static final Map<String, Access> ROUTES = new LinkedHashMap<>();
    private static final Map<String, String> BODIES = new LinkedHashMap<>();

    static {
        rule("POST /api/auth/register", Access.ANYONE);
        rule("POST /api/auth/login", Access.ANYONE);
        rule("POST /api/auth/refresh", Access.ANYONE);
        rule("POST /api/auth/logout", Access.ANYONE);
        rule("GET /api/me", Access.MEMBER);
        rule("PUT /api/me/password", Access.MEMBER, "{\"currentPassword\":\"x\",\"newPassword\":\"long enough password\"}");
        rule("DELETE /api/me", Access.MEMBER);
        rule("DELETE /api/admin/users/{username}", Access.ADMIN);
        rule("PUT /api/admin/users/{username}/role", Access.ADMIN, "{\"role\":\"moderator\"}");
        rule("POST /api/admin/users/{username}/suspend", Access.MODERATOR, "{}");
        rule("DELETE /api/admin/users/{username}/suspend", Access.MODERATOR);
        rule("PUT /api/admin/users/{username}/trust-level", Access.MODERATOR, "{\"level\":1}");
        rule("GET /api/categories", Access.ANYONE);
        rule("POST /api/categories", Access.ADMIN, "{\"slug\":\"matrix\",\"name\":\"Matrix\",\"description\":\"x\"}");
        rule("GET /api/categories/{slug}/threads", Access.ANYONE);
        rule("POST /api/threads", Access.MEMBER);
        rule("GET /api/threads/{id}", Access.ANYONE);
        rule("PATCH /api/threads/{id}", Access.MEMBER);
        rule("GET /api/threads/{id}/posts", Access.ANYONE);
        rule("POST /api/threads/{id}/posts", Access.MEMBER);
        rule("GET /api/threads/{id}/events", Access.ANYONE);
        rule("GET /api/threads/{id}/related", Access.ANYONE);
        rule("GET /api/posts/{id}", Access.ANYONE);
        rule("PATCH /api/posts/{id}", Access.MEMBER);
        rule("DELETE /api/posts/{id}", Access.MEMBER);
        rule("PUT /api/posts/{id}/vote", Access.MEMBER);
        rule("DELETE /api/posts/{id}/vote", Access.MEMBER);
        rule("POST /api/posts/{id}/report", Access.MEMBER);
        rule("GET /api/posts/{id}/moderation", Access.MEMBER);
        rule("POST /api/posts/{id}/appeal", Access.MEMBER, "{\"message\":\"m\"}");
        rule("GET /api/search", Access.ANYONE);
        rule("GET /api/moderation/queue", Access.MODERATOR);
        rule("GET /api/moderation/queue/{id}", Access.MODERATOR);
        rule("POST /api/moderation/queue/{id}/claim", Access.MODERATOR);
        rule("DELETE /api/moderation/queue/{id}/claim", Access.MODERATOR);
        rule("POST /api/moderation/queue/{id}/resolve", Access.MODERATOR, "{\"action\":\"approve\",\"note\":\"n\"}");
        rule("POST /api/moderation/queue/resolve", Access.MODERATOR, "{\"ids\":[987654321],\"action\":\"approve\",\"note\":\"n\"}");
        rule("GET /api/moderation/policy", Access.MODERATOR);
        rule("PUT /api/moderation/policy", Access.ADMIN, "{\"thresholds\":{},\"categoryOverrides\":{},\"onProviderFailure\":\"flag\"}");
        rule("GET /api/moderation/rules", Access.MODERATOR);
        rule("PUT /api/moderation/rules", Access.ADMIN, "{\"rules\":[]}");
        rule("GET /api/moderation/events", Access.MODERATOR);
        rule("GET /api/moderation/stats", Access.MODERATOR);
        rule("GET /api/moderation/audit", Access.MODERATOR);
        rule("GET /api/moderation/stats/timeline", Access.MODERATOR);
        rule("POST /api/moderation/policy/preview", Access.ADMIN, "{\"policy\":{\"thresholds\":{}},\"last\":10}");
        rule("GET /api/moderation/calibration", Access.MODERATOR);
        rule("GET /api/moderation/decisions/export", Access.ADMIN);
        rule("GET /api/admin/reindex", Access.ADMIN);
        rule("GET /api/admin/pipeline", Access.ADMIN);
        rule("POST /api/admin/pipeline/dead/{id}/retry", Access.ADMIN);
        rule("POST /api/admin/reindex", Access.ADMIN, "{\"scope\":\"stale\"}");
        rule("GET /api/admin/reindex/{id}", Access.ADMIN);
        rule("DELETE /api/admin/reindex/{id}", Access.ADMIN);
        rule("POST /api/admin/webhooks", Access.ADMIN,
                "{\"url\":\"https://hooks.example.com/x\",\"eventTypes\":[\"thread.created\"]}");
        rule("GET /api/admin/webhooks", Access.ADMIN);
        rule("GET /api/admin/webhooks/{id}", Access.ADMIN);
        rule("PATCH /api/admin/webhooks/{id}", Access.ADMIN, "{\"enabled\":true}");
        rule("DELETE /api/admin/webhooks/{id}", Access.ADMIN);
        rule("GET /api/admin/webhooks/{id}/deliveries", Access.ADMIN);
        rule("POST /api/admin/webhooks/{id}/deliveries/{deliveryId}/redeliver", Access.ADMIN);
    }

    @Inject
    Router router;

    private static void rule(String route, Access access) {
        rule(route, access, null);
    }

    private static void rule(String route, Access access, String body) {
        ROUTES.put(route, access);
        if (body != null) {
            BODIES.put(route, body);
        }
    }

    @Test
    void everyApiRouteHasARule() {
        TreeSet<String> served = new TreeSet<>();
        router.uriRoutes().map(r -> r.getHttpMethodName() + " " + r.getUriMatchTemplate().toString()).filter(k -> k.split(" ")[1].startsWith("/api/") && !k.startsWith("HEAD ")).forEach(served::add);
        TreeSet<String> unruled = new TreeSet<>(served);
        unruled.removeAll(ROUTES.keySet());
        assertTrue(unruled.isEmpty(), "routes without an access rule: " + unruled);
        TreeSet<String> stale = new TreeSet<>(ROUTES.keySet());
        stale.removeAll(served);
        assertTrue(stale.isEmpty(), "rules for routes that do not exist: " + stale);
    }

    @Test
    void callersBelowTheRequiredRoleAreRefused() {
        User member = api.register("matrix");
        User moderator = api.withRole("matrixmod", "moderator");
        User target = api.register("matrixtarget");
        List<String> wrong = new ArrayList<>();
        ROUTES.forEach((route, access) -> {
            if (access == Access.ANYONE) {
                return;
            }
            check(route, null, 401, target, wrong);
            if (access == Access.MODERATOR || access == Access.ADMIN) {
                check(route, member.token(), 403, target, wrong);
            }
            if (access == Access.ADMIN) {
                check(route, moderator.token(), 403, target, wrong);
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void membersCannotChangeOtherUsersContent() {
        User author = api.register("owner");
        User other = api.register("intruder");
        var thread = api.thread(author, "general", "Owned thread", "owned body");
        long threadId = thread.get("id").getLongValue();
        long postId = thread.get("firstPost").get("id").getLongValue();
        api.patch("/api/posts/" + postId, other.token(), Map.of("body", "defaced")).expectProblem(403);
        api.delete("/api/posts/" + postId, other.token()).expectProblem(403);
        api.patch("/api/threads/" + threadId, other.token(), Map.of("title", "Defaced title")).expectProblem(403);
        api.patch("/api/threads/" + threadId, other.token(), Map.of("locked", true)).expectProblem(403);
        api.patch("/api/threads/" + threadId, author.token(), Map.of("pinned", true)).expectProblem(403);
        assertEquals("owned body", db.value("SELECT body FROM posts WHERE id = ?", postId));
        assertEquals("Owned thread", db.value("SELECT title FROM threads WHERE id = ?", threadId));
        assertEquals("published", db.value("SELECT status FROM posts WHERE id = ?", postId));
    }

    private void check(String route, String token, int expected, User target, List<String> wrong) {
        String[] parts = route.split(" ");
        String path = parts[1].replace("{username}", target.username()).replace("{slug}", "general")
                .replace("{id}", "987654321").replace("{deliveryId}", "987654321");
        String body = BODIES.getOrDefault(route, parts[0].equals("GET") || parts[0].equals("DELETE") ? null : "{}");
        Api.Res res = api.send(parts[0], path, token, body);
        if (res.status() != expected) {
            wrong.add(route + " as " + (token == null ? "anonymous" : "lower role") + ": expected " + expected
                    + ", got " + res.status() + " " + res.body());
        }
    }
}
