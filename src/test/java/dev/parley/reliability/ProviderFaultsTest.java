package dev.parley.reliability;

import dev.parley.support.ActiveModels;
import dev.parley.support.Api;
import dev.parley.support.Db;
import dev.parley.support.FakeOpenAiApiTest;
import dev.parley.support.FakeOpenAi.Failure;
import dev.parley.support.Waits;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OpenAI failing in every way the issue lists, through the whole pipeline, for the cases
 * ModerationApiTest does not already cover (it has: 429 with Retry-After, 500s ending in the flag
 * fallback, timeouts under the publish fallback, two malformed answers then success, 401). Each row:
 * the moderation endpoint fails on every attempt and the post ends as the policy's onProviderFailure
 * says; or the embeddings endpoint fails for a while and the post is embedded once it recovers. In
 * both cases /health shows the provider DEGRADED meanwhile and UP after recovery, and the pipeline
 * drains with no dead job.
 */
@MicronautTest(transactional = false)
// Any free port: 8080 may be taken by a service running on this machine.
@Property(name = "micronaut.server.port", value = "-1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProviderFaultsTest extends FakeOpenAiApiTest {

    private static final String MODEL = "text-embedding-3-small@256";
    private static final int ATTEMPTS = 3;

    private Api.User author;
    private String slug;
    private String previousModel;
    private Map<String, Object> originalPolicy;
    private long firstJob;

    @Override
    protected Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("parley.openai.timeout", "400ms");
        properties.put("parley.embedding.provider", "openai");
        properties.put("parley.embedding.model", "text-embedding-3-small");
        properties.put("parley.embedding.dimensions", "256");
        properties.put("parley.embedding.timeout", "400ms");
        properties.put("parley.moderation.max-attempts", String.valueOf(ATTEMPTS));
        properties.put("parley.moderation.rescan-interval", "1h");
        // Embedding jobs outlive the outages below instead of dying after a second of fast retries.
        properties.put("parley.pipeline.max-attempts", "200");
        properties.put("parley.pipeline.backoff-base", "20ms");
        // A retry is due within 100 ms; the workers look for it that often instead of every 2 s.
        properties.put("parley.pipeline.poll-interval", "100ms");
        properties.put("parley.pipeline.backoff-max", "100ms");
        return properties;
    }

    @BeforeAll
    void useTheOpenAiModel() {
        api = new Api(server, json);
        db = new Db(environment);
        previousModel = ActiveModels.get(db);
        ActiveModels.set(db, MODEL);
        author = api.register("faults");
        originalPolicy = readPolicy();
        slug = api.category("faults");
    }

    @AfterAll
    void restore() {
        ActiveModels.set(db, previousModel);
        api.put("/api/moderation/policy", api.adminToken(), originalPolicy).expect(200);
    }

    static Stream<Arguments> moderationOutages() {
        return Stream.of(
                Arguments.of("429 without Retry-After", Failure.rateLimited(null), "flag", "flagged"),
                Arguments.of("429 without Retry-After", Failure.rateLimited(null), "publish", "published"),
                Arguments.of("connection dropped", Failure.disconnect(), "flag", "flagged"),
                Arguments.of("slower than the timeout", Failure.delay(Duration.ofSeconds(1)), "publish", "published"),
                Arguments.of("truncated JSON", Failure.body("{\"id\":\"modr-1\",\"results\":[{\"flagged\":fa"), "flag",
                        "flagged"),
                Arguments.of("not JSON", Failure.body("<html><body>502 Bad Gateway</body></html>"), "publish",
                        "published"),
                Arguments.of("wrong shape: two results for one input", Failure.body("{\"id\":\"modr-1\",\"results\":"
                        + "[{\"flagged\":false,\"category_scores\":{}},{\"flagged\":false,\"category_scores\":{}}]}"),
                        "publish", "published"));
    }

    @ParameterizedTest(name = "moderation {0} on every attempt, onProviderFailure={2}: {3}")
    @MethodSource("moderationOutages")
    void aModerationOutageEndsThePostAsThePolicySaysAndShowsInHealth(String name, Failure failure, String onFailure,
                                                                     String expected) {
        firstJob = jobs.mark();
        api.put("/api/moderation/policy", api.adminToken(), policy(onFailure)).expect(200);
        openai.recover();
        openai.resetCounters();
        for (int i = 0; i < ATTEMPTS; i++) {
            openai.failNext(failure);
        }
        long postId = newPost("posted while moderation fails: " + name);
        JsonNode post = api.awaitModerated(postId, author.token(), expected);
        assertEquals(ATTEMPTS, openai.moderationRequests(), "one provider request per attempt");
        if (expected.equals("published")) {
            JsonNode staff = api.get("/api/posts/" + postId, api.adminToken()).json().get("moderation");
            assertTrue(staff.get("unmoderated").getBooleanValue(), "published unmoderated, for a rescan later");
        } else {
            assertEquals(0, post.get("moderation").get("categories").size(), "held for the outage, not a verdict");
        }
        assertEquals("DEGRADED", health("moderationProvider"));

        long recovered = newPost("posted after the provider recovered");
        api.awaitModerated(recovered, author.token(), "published");
        assertEquals("UP", health("moderationProvider"));
        awaitDrained();
    }

    static Stream<Arguments> embeddingOutages() {
        return Stream.of(
                Arguments.of("429 with Retry-After", Failure.rateLimited(1)),
                Arguments.of("429 without Retry-After", Failure.rateLimited(null)),
                Arguments.of("500", Failure.status(500)),
                Arguments.of("slower than the timeout", Failure.delay(Duration.ofSeconds(1))),
                Arguments.of("truncated JSON", Failure.body("{\"object\":\"list\",\"data\":[{\"embedding\":[0.1,")),
                Arguments.of("not JSON", Failure.body("Service Unavailable")),
                Arguments.of("wrong dimensions", Failure.body("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\","
                        + "\"index\":0,\"embedding\":[0.1,0.2,0.3]}],\"model\":\"text-embedding-3-small\"}")));

    }

    @ParameterizedTest(name = "embeddings {0} during an outage: embedded after recovery")
    @MethodSource("embeddingOutages")
    void anEmbeddingOutageDelaysIndexingOnlyAndShowsInHealth(String name, Failure failure) throws Exception {
        firstJob = jobs.mark();
        openai.recover();
        openai.failAlwaysEmbeddings(failure);
        int before = openai.embeddingRequests();
        long postId = newPost("an embedding outage of kind " + name);
        api.awaitModerated(postId, author.token(), "published");
        Waits.until("the embedding job to be tried and retried", () -> openai.embeddingRequests() >= before + 2);
        assertEquals("DEGRADED", health("embeddingProvider"));
        assertEquals(0, embedded(postId), "nothing half-written meanwhile");

        openai.recover();
        Waits.until("the post to be embedded after recovery", () -> embedded(postId) > 0);
        assertEquals("UP", health("embeddingProvider"));
        awaitDrained();
        assertEquals(1, embedded(postId), "one vector row for the post's one chunk");
    }

    @Test
    void theHealthOfBothProvidersIsVisibleToAdmins() {
        JsonNode details = api.get("/health", api.adminToken()).expect(200).json().get("details");
        assertTrue(details.get("moderationProvider") != null && details.get("embeddingProvider") != null,
                details.toString());
    }

    private long newPost(String body) {
        return api.post("/api/threads", author.token(), map("category", slug, "title", "Fault " + Api.unique("t"),
                "body", body)).expect(201).json().get("firstPost").get("id").getLongValue();
    }

    private long embedded(long postId) {
        return db.count("SELECT count(*) FROM post_embeddings WHERE model = ? AND post_id = ?", MODEL, postId);
    }

    private String health(String part) {
        return api.get("/health", api.adminToken()).json().get("details").get(part).get("status").getStringValue();
    }

    /** Every job this test caused has ended, and none of them died. */
    private void awaitDrained() {
        assertEquals(0, jobs.since(firstJob, "moderate", "embed").awaitFinished().dead(), "no dead job");
    }

    /** The policy in force, with only the fields a PUT takes. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> readPolicy() {
        try {
            Map<String, Object> current = json.readValue(api.get("/api/moderation/policy", api.adminToken()).expect(200)
                    .body(), Map.class);
            return map("thresholds", current.get("thresholds"), "categoryOverrides", current.get("categoryOverrides"),
                    "onProviderFailure", current.get("onProviderFailure"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Map<String, Object> policy(String onProviderFailure) {
        Map<String, Object> policy = new LinkedHashMap<>(originalPolicy);
        policy.put("onProviderFailure", onProviderFailure);
        return policy;
    }
}
