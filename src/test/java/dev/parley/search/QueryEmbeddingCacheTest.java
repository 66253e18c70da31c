package dev.parley.search;

import dev.parley.support.ApiTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A repeated query's vector comes from the cache, counted as a hit; a new query is a miss. */
@MicronautTest(transactional = false)
class QueryEmbeddingCacheTest extends ApiTest {

    @Inject
    MeterRegistry registry;
    @Inject
    QueryEmbeddings cache;
    @Inject
    SearchModels models;

    @Test
    void aRepeatedQueryIsAnsweredFromTheCacheWhateverItsSpacing() {
        String query = "how do I keep my sourdough starter alive " + System.nanoTime();
        double hits = count("hit");
        double misses = count("miss");

        JsonNode first = search(query, "semantic");
        assertEquals(misses + 1, count("miss"), "a new query is embedded");
        assertEquals(hits, count("hit"));

        JsonNode again = search("  " + query.replace(" ", "   ") + " ", "semantic");
        search(query, "hybrid");
        assertEquals(hits + 2, count("hit"), "the repeats reuse the vector");
        assertEquals(misses + 1, count("miss"));
        assertEquals(first.get("results"), again.get("results"), "a hit answers as the miss did");

        search(query, "keyword");
        assertEquals(hits + 2, count("hit"), "keyword search embeds nothing");
        assertEquals(misses + 1, count("miss"));
    }

    @Test
    void theCacheIsEmptiedWhenAReindexActivatesAModel() {
        search("what flour for rye bread " + System.nanoTime(), "semantic");
        assertTrue(cache.size() > 0);
        // What a succeeding reindex run does; the same model again, so other tests keep their index.
        models.activate(models.active());
        assertEquals(0, cache.size());
    }

    @Test
    void normalisingKeepsWordsAndCaseAndCollapsesSpacing() {
        assertEquals("Reset my Password", QueryEmbeddings.normalise("  Reset\tmy \n Password  "));
    }

    private double count(String result) {
        return registry.counter("parley.search.query.embeddings", "result", result).count();
    }

    private JsonNode search(String q, String mode) {
        return api.get("/api/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&mode=" + mode, null)
                .expect(200).json();
    }
}
