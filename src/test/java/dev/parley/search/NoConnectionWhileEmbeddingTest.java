package dev.parley.search;

import dev.parley.support.ApiTest;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A search holds no pool connection while its query is embedded: with a pool of two connections (the
 * least Flyway starts with) and two searches waiting in a model that blocks until the test releases
 * it, another request still reads the database.
 */
@MicronautTest(transactional = false)
@Property(name = "datasources.default.maximum-pool-size", value = "2")
@Property(name = "datasources.default.minimum-idle", value = "2")
@Property(name = "datasources.default.connection-timeout", value = "3000")
@Property(name = "parley.pipeline.workers-enabled", value = "false")
@Property(name = "parley.test.blocking-embedding", value = "true")
class NoConnectionWhileEmbeddingTest extends ApiTest {

    @Inject
    BlockingModel model;

    @Test
    void anotherRequestReadsWhileASearchWaitsForTheModel() throws Exception {
        List<CompletableFuture<Integer>> searches = new ArrayList<>();
        for (String mode : new String[]{"semantic", "hybrid"}) {
            String query = "a query the model blocks on " + mode + " " + System.nanoTime();
            searches.add(CompletableFuture.supplyAsync(() -> api.get("/api/search?mode=" + mode + "&q="
                    + URLEncoder.encode(query, StandardCharsets.UTF_8), null).status()));
        }
        try {
            assertTrue(model.entered.await(20, TimeUnit.SECONDS), "both searches reached the model");
            long start = System.nanoTime();
            assertEquals(200, api.get("/api/categories", null).status(), "a read while the model runs");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2),
                    "the read did not wait for a connection held by a search");
        } finally {
            model.release.countDown();
        }
        for (CompletableFuture<Integer> search : searches) {
            assertEquals(200, search.get(20, TimeUnit.SECONDS));
        }
    }

    /** Stands in for the configured model under its name; every query waits for the test. */
    @Singleton
    @Replaces(EmbeddingModel.class)
    @Requires(property = "parley.test.blocking-embedding", value = "true")
    static class BlockingModel implements EmbeddingModel {

        final CountDownLatch entered = new CountDownLatch(2);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String name() {
            return "all-minilm-l6-v2";
        }

        @Override
        public int dimensions() {
            return 384;
        }

        @Override
        public int maxWordsPerInput() {
            return 200;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<float[]> vectors = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                float[] unit = new float[384];
                unit[0] = 1;
                vectors.add(unit);
            }
            return vectors;
        }
    }
}
