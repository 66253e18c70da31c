package dev.parley.moderation;

import dev.parley.support.Api.User;
import dev.parley.support.ApiTest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Without an OpenAI key the service moderates with its rules alone. */
@MicronautTest(transactional = false)
class RulesOnlyModerationTest extends ApiTest {

    @Test
    void withoutAKeyTheRulesDecideAlone() {
        User author = api.register("author");
        User moderator = api.withRole("mod", "moderator");
        String slug = api.category("rules");
        api.put("/api/moderation/rules", api.adminToken(), Map.of("rules", List.of(
                Map.of("pattern", "buy cheap pills", "kind", "phrase", "category", "illicit", "score", 0.7),
                Map.of("pattern", "kill yourself", "kind", "phrase", "category", "harassment", "score", 0.95))))
                .expect(200);

        long flagged = post(author, slug, "BUY   cheap\npílls here");
        long rejected = post(author, slug, "just K\u200Bill Yourself");
        long clean = post(author, slug, "a perfectly normal post");
        api.awaitModerated(flagged, author.token(), "flagged");
        api.awaitModerated(rejected, author.token(), "rejected");
        api.awaitModerated(clean, author.token(), "published");

        JsonNode decision = api.get("/api/posts/" + flagged, moderator.token()).json().get("moderation");
        assertEquals("rules", decision.get("provider").getStringValue());
        JsonNode health = api.get("/health", api.adminToken()).json().get("details").get("moderationProvider");
        assertEquals("rules", health.get("details").get("provider").getStringValue());
        assertEquals("UP", health.get("status").getStringValue());
    }

    private long post(User author, String slug, String body) {
        return api.post("/api/threads", author.token(), Map.of("category", slug, "title", "Rules test", "body", body))
                .expect(201).json().get("firstPost").get("id").getLongValue();
    }
}
