package dev.parley.search;

import dev.parley.support.Api.User;
import dev.parley.support.ApiTest;
import io.micronaut.context.annotation.Property;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The score floor, set for the local model: a question the category never discussed gets no results
 * and says so, in semantic and hybrid mode, and a close one keeps its results.
 */
@MicronautTest(transactional = false)
@Property(name = "parley.search.floor.models.all-minilm-l6-v2", value = "0.35")
class ScoreFloorTest extends ApiTest {

    @Test
    void aQueryWithNoGoodMatchSaysSoInsteadOfReturningNoise() {
        long firstJob = jobs.mark();
        User author = api.register("floor");
        String slug = api.category("floor");
        long swim = api.thread(author, slug, "Learning to swim as an adult",
                "I never learned to swim as a child. How do I get over my fear of deep water?").get("id").getLongValue();
        api.thread(author, slug, "Tuning PostgreSQL autovacuum", "Autovacuum runs too often on our biggest tables.");
        jobs.since(firstJob, "moderate", "embed").awaitFinished();

        JsonNode noise = search(slug, "how long should I knead bread dough by hand", "semantic");
        assertEquals(0, noise.get("results").size(), "below the floor: " + noise);
        assertTrue(noise.get("noGoodMatch").getBooleanValue());

        JsonNode good = search(slug, "how can a grown-up learn swimming", "semantic");
        assertEquals(swim, good.get("results").get(0).get("thread").get("id").getLongValue());
        assertFalse(good.get("noGoodMatch").getBooleanValue());
        good.get("results").values().forEach(r -> assertTrue(r.get("score").getDoubleValue() >= 0.35, "" + r));

        // Hybrid leaves the far semantic matches out before fusing: nothing matches the words either.
        JsonNode hybrid = search(slug, "how long should I knead bread dough by hand", "hybrid");
        assertEquals(0, hybrid.get("results").size(), "" + hybrid);
        assertTrue(hybrid.get("noGoodMatch").getBooleanValue());
    }

    private JsonNode search(String slug, String q, String mode) {
        return api.get("/api/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&mode=" + mode
                + "&category=" + slug, null).expect(200).json();
    }
}
