package dev.parley.search;

import dev.parley.support.Api.User;
import dev.parley.support.ActiveModels;
import dev.parley.support.ApiTest;
import dev.parley.support.Waits;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Switching search from one local model (all-MiniLM-L6-v2) to the other (BGE small) through a reindex run. */
@MicronautTest(transactional = false)
class LocalModelSwitchTest extends ApiTest {

    private static final String BGE = "bge-small-en-v1.5-q";

    User author;
    String slug;
    long firstJob;

    @BeforeEach
    void setUp() {
        firstJob = jobs.mark();
        author = api.register("switcher");
        slug = api.category("switch");
    }

    @AfterEach
    void restore() {
        db.execute("UPDATE reindex_runs SET state = 'cancelled', finished_at = now() WHERE state = 'running'");
        jobs.since(firstJob, "moderate", "embed", "reindex").drain();
        ActiveModels.set(db, ActiveModels.LOCAL);
    }

    @Test
    void aReindexRunSwitchesSearchFromMiniLmToBge() {
        long walrus = api.thread(author, slug, "Walrus colonies", "Walrus colonies gather on the arctic ice floes.")
                .get("id").getLongValue();
        api.thread(author, slug, "Sourdough starter", "My bread dough does not rise; which flour should I feed it?");
        jobs.since(firstJob, "moderate", "embed").awaitFinished();
        assertEquals(ActiveModels.LOCAL, ActiveModels.get(db));

        JsonNode run = api.post("/api/admin/reindex", api.adminToken(), Map.of("model", BGE, "scope", "all"))
                .expect(202).json();
        long id = run.get("id").getLongValue();
        Waits.until("run " + id + " to finish", () -> !api.get("/api/admin/reindex/" + id, api.adminToken())
                .expect(200).text("state").equals("running"));
        assertEquals("succeeded", api.get("/api/admin/reindex/" + id, api.adminToken()).text("state"));
        assertEquals(BGE, ActiveModels.get(db), "the run switched search to BGE");

        assertEquals(384L, db.count("SELECT DISTINCT vector_dims(embedding) FROM post_embeddings WHERE model = ?", BGE));
        assertEquals(1, db.count("SELECT count(*) FROM thread_embeddings WHERE model = ? AND thread_id = ?", BGE,
                walrus), "the thread vector is computed for the new model too");
        assertTrue(db.count("""
                SELECT count(*) FROM post_embeddings b JOIN post_embeddings m
                    ON m.post_id = b.post_id AND m.chunk = b.chunk AND m.model = ?
                 WHERE b.model = ? AND b.embedding = m.embedding""", ActiveModels.LOCAL, BGE) == 0,
                "BGE's vectors are its own");
        for (String mode : new String[]{"semantic", "hybrid"}) {
            JsonNode found = api.get("/api/search?q=sea+mammals+on+the+ice&mode=" + mode + "&category=" + slug, null)
                    .expect(200).json();
            assertEquals(walrus, found.get("results").get(0).get("thread").get("id").getLongValue(), mode);
        }
        JsonNode related = api.get("/api/threads/" + walrus + "/related", null).expect(200).json();
        assertTrue(related.get("results").size() > 0, "related threads answer from BGE's thread vectors");
    }
}
