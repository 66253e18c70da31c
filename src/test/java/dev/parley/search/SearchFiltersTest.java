package dev.parley.search;

import dev.parley.support.Api.User;
import dev.parley.support.ApiTest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The author and date filters, in every mode: every result's post satisfies them (checked against the
 * database, not the response), and a narrow filter still fills the page although many closer posts
 * lie outside it, because the filter is applied while the index is walked, not to a page afterwards.
 */
@MicronautTest(transactional = false)
class SearchFiltersTest extends ApiTest {

    private static final String[] MODES = {"semantic", "keyword", "hybrid"};
    private static final String QUERY = "bicycle chain rain";
    private static final Instant JANUARY = Instant.parse("2026-01-10T12:00:00Z");
    private static final Instant FEBRUARY = Instant.parse("2026-02-10T12:00:00Z");
    private static final Instant MARCH = Instant.parse("2026-03-10T12:00:00Z");

    String slug;
    User many;
    User few;
    final Set<Long> fewThreads = new HashSet<>();

    @BeforeEach
    void forum() {
        long firstJob = jobs.mark();
        slug = api.category("filters");
        many = api.register("many");
        few = api.register("few");
        // Twelve threads by one member that match the query closely, in January...
        for (int i = 0; i < 12; i++) {
            long thread = api.thread(many, slug, "Bicycle chain squeaks after rain " + i,
                    "My bicycle chain squeaks after every rain ride, attempt " + i + ".")
                    .get("id").getLongValue();
            dated(thread, JANUARY);
        }
        // ...and another member's two threads (February) and one reply (March) that match less closely.
        for (int i = 0; i < 2; i++) {
            long thread = api.thread(few, slug, "Drivetrain question " + i,
                    "Does a bicycle chain need oil after it rains? Asking for the " + i + " time.")
                    .get("id").getLongValue();
            fewThreads.add(thread);
            dated(thread, FEBRUARY);
        }
        long manyThread = db.count("SELECT min(id) FROM threads WHERE category_id = "
                + "(SELECT id FROM categories WHERE slug = ?)", slug);
        long reply = api.reply(few, manyThread, "The bicycle chain stopped squeaking once I oiled it after the rain.")
                .get("id").getLongValue();
        db.execute("UPDATE posts SET created_at = ? WHERE id = ?", Timestamp.from(MARCH), reply);
        fewThreads.add(manyThread);
        jobs.since(firstJob, "moderate", "embed").awaitFinished();
    }

    @Test
    void theAuthorFilterReturnsOnlyThatMembersPostsAndFillsThePage() {
        for (String mode : MODES) {
            List<JsonNode> results = search(mode, "&author=" + few.username() + "&limit=3");
            assertEquals(fewThreads, threadIds(results), mode + ": the few threads with the member's posts");
            for (JsonNode result : results) {
                assertEquals(few.id(), db.count("SELECT author_id FROM posts WHERE id = ?", postId(result)),
                        mode + " returns a post by someone else: " + result);
            }
            // Usernames are matched without regard to case, as at sign-in.
            assertEquals(fewThreads, threadIds(search(mode, "&author=" + few.username().toUpperCase()
                    + "&limit=3")), mode);
        }
    }

    @Test
    void theDateFilterReturnsOnlyPostsWrittenInTheRange() {
        Instant since = Instant.parse("2026-02-01T00:00:00Z");
        Instant until = Instant.parse("2026-03-01T00:00:00Z");
        for (String mode : MODES) {
            List<JsonNode> results = search(mode, "&since=" + since + "&until=" + until + "&limit=10");
            assertEquals(2, results.size(), mode + ": the two February threads: " + results);
            for (JsonNode result : results) {
                Instant at = ((Timestamp) db.value("SELECT created_at FROM posts WHERE id = ?", postId(result)))
                        .toInstant();
                assertTrue(!at.isBefore(since) && at.isBefore(until), mode + " returns a post of " + at);
            }
            // since is inclusive, until exclusive.
            assertEquals(2, search(mode, "&since=" + FEBRUARY + "&until=" + MARCH).size(), mode);
            List<JsonNode> march = search(mode, "&since=" + MARCH);
            assertEquals(1, march.size(), mode + ": only the March reply: " + march);
            assertEquals("The bicycle chain stopped squeaking once I oiled it after the rain.",
                    db.value("SELECT body FROM posts WHERE id = ?", postId(march.get(0))), mode);
        }
    }

    @Test
    void filtersCombineWithEachOther() {
        for (String mode : MODES) {
            List<JsonNode> results = search(mode, "&author=" + few.username() + "&until=2026-03-01T00:00:00Z");
            assertEquals(2, results.size(), mode + ": " + results);
            results.forEach(r -> assertTrue(fewThreads.contains(threadId(r)), mode));
            assertTrue(search(mode, "&author=" + many.username() + "&since=" + FEBRUARY).isEmpty(), mode);
        }
    }

    @Test
    void anUnknownAuthorFindsNothingAndSaysSo() {
        for (String mode : MODES) {
            JsonNode body = api.get("/api/search?q=" + enc(QUERY) + "&mode=" + mode + "&category=" + slug
                    + "&author=nobody-has-this-name", null).expect(200).json();
            assertEquals(0, body.get("results").size(), mode);
            assertTrue(body.get("noGoodMatch").getBooleanValue(), mode);
        }
    }

    @Test
    void badFiltersAreRefusedByName() {
        api.get("/api/search?q=x&since=yesterday", null).expectInvalid("since");
        api.get("/api/search?q=x&until=2026-13-01", null).expectInvalid("until");
        api.get("/api/search?q=x&since=2026-03-01T00:00:00Z&until=2026-02-01T00:00:00Z", null).expectInvalid("until");
        api.get("/api/search?q=x&author=" + "a".repeat(101), null).expectInvalid("author");
    }

    private List<JsonNode> search(String mode, String filters) {
        List<JsonNode> results = new ArrayList<>();
        api.get("/api/search?q=" + enc(QUERY) + "&mode=" + mode + "&category=" + slug + filters, null).expect(200)
                .json().get("results").values().forEach(results::add);
        return results;
    }

    private void dated(long threadId, Instant at) {
        db.execute("UPDATE posts SET created_at = ? WHERE thread_id = ?", Timestamp.from(at), threadId);
        db.execute("UPDATE threads SET created_at = ? WHERE id = ?", Timestamp.from(at), threadId);
    }

    private static Set<Long> threadIds(List<JsonNode> results) {
        Set<Long> ids = new HashSet<>();
        results.forEach(r -> assertTrue(ids.add(threadId(r)), "a thread twice: " + results));
        return ids;
    }

    private static long threadId(JsonNode result) {
        return result.get("thread").get("id").getLongValue();
    }

    private static long postId(JsonNode result) {
        return result.get("post").get("id").getLongValue();
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
