package dev.parley.abuse;

import dev.parley.support.Api;
import dev.parley.support.Api.User;
import dev.parley.support.SettableClock;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-user posting limits over HTTP, against two instances on one database that share the counters.
 * Small limits (3 posts, 2 threads, 2 edits per minute) and a settable clock in both instances, so
 * the windows pass without waiting. Job workers are off: moderation plays no part here.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostingRateLimitTest extends TwoInstanceLimitTest {

    private static final Map<String, String> PROPERTIES = Map.of(
            "parley.test.settable-clock", "true",
            "parley.pipeline.workers-enabled", "false",
            "parley.limits.rate.posts.limit", "3",
            "parley.limits.rate.posts.window", "1m",
            "parley.limits.rate.threads.limit", "2",
            "parley.limits.rate.threads.window", "1m",
            "parley.limits.rate.edits.limit", "2",
            "parley.limits.rate.edits.window", "1m");

    @Inject
    SettableClock clock;
    @Inject
    RateLimiter limiter;

    SettableClock otherClock;
    Api b;
    String slug;

    @Override
    Map<String, String> settings() {
        return PROPERTIES;
    }

    @BeforeAll
    void findTheOtherClock() {
        otherClock = other.bean(SettableClock.class);
    }

    @BeforeEach
    void prepare() {
        b = other.api();
        otherClock.set(clock.instant());
        if (slug == null) {
            slug = api.category("rate");
        }
    }

    @Test
    void threadsAndRepliesShareOneBudgetPerUserAcrossInstances() {
        User user = api.register("poster");
        User bystander = api.register("bystander");
        long threadId = api.post("/api/threads", user.token(), thread("Budget thread")).expect(201).id();
        b.post("/api/threads/" + threadId + "/posts", user.token(), Map.of("body", "second, via B")).expect(201);
        api.post("/api/threads/" + threadId + "/posts", user.token(), Map.of("body", "third, via A")).expect(201);

        for (Api instance : new Api[]{api, b}) {
            var refused = instance.post("/api/threads/" + threadId + "/posts", user.token(),
                    Map.of("body", "refused reply")).expectProblem(429);
            long retryAfter = retryAfter(refused);
            // 3 per minute: each post frees up 20 s after the one before it.
            assertTrue(retryAfter >= 1 && retryAfter <= 20, "Retry-After " + retryAfter);
            assertTrue(refused.text("detail").contains("posting too fast"), refused.body());
        }
        b.post("/api/threads", user.token(), thread("Refused thread")).expectProblem(429);

        assertEquals(3, db.count("SELECT count(*) FROM posts WHERE author_id = ?", user.id()));
        assertEquals(0, db.count("SELECT count(*) FROM posts WHERE author_id = ? AND body = 'refused reply'", user.id()));
        assertEquals(1, db.count("SELECT count(*) FROM threads WHERE author_id = ?", user.id()));
        assertEquals(3, db.count("SELECT count(*) FROM jobs WHERE kind = 'moderate' AND payload->>'postId' IN"
                + " (SELECT id::text FROM posts WHERE author_id = ?)", user.id()), "no job for a refused post");
        // Another user's budget is their own.
        b.post("/api/threads", bystander.token(), thread("Unaffected")).expect(201);
    }

    @Test
    void theBudgetComesBackAfterRetryAfterAndAllOfItAfterTheWindow() {
        User user = api.register("patient");
        long threadId = api.post("/api/threads", user.token(), thread("Patience")).expect(201).id();
        String path = "/api/threads/" + threadId + "/posts";
        api.post(path, user.token(), Map.of("body", "two")).expect(201);
        api.post(path, user.token(), Map.of("body", "three")).expect(201);
        long retryAfter = retryAfter(b.post(path, user.token(), Map.of("body", "four")).expectProblem(429));

        advance(Duration.ofSeconds(retryAfter - 1));
        b.post(path, user.token(), Map.of("body", "still too early")).expectProblem(429);
        advance(Duration.ofSeconds(1));
        b.post(path, user.token(), Map.of("body", "four, later")).expect(201);
        api.post(path, user.token(), Map.of("body", "five")).expectProblem(429);

        advance(Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            (i % 2 == 0 ? api : b).post(path, user.token(), Map.of("body", "burst " + i)).expect(201);
        }
        api.post(path, user.token(), Map.of("body", "over again")).expectProblem(429);
        assertEquals(7, db.count("SELECT count(*) FROM posts WHERE author_id = ?", user.id()));
    }

    @Test
    void newThreadsHaveTheirOwnTighterLimitWithinThePostBudget() {
        User user = api.register("opener");
        long first = api.post("/api/threads", user.token(), thread("First of two")).expect(201).id();
        b.post("/api/threads", user.token(), thread("Second of two")).expect(201);
        var refused = api.post("/api/threads", user.token(), thread("Third thread")).expectProblem(429);
        assertTrue(retryAfter(refused) >= 1 && retryAfter(refused) <= 30, refused.headers().toString());
        // The refused thread did not use up a post: a reply still fits the budget of three.
        b.post("/api/threads/" + first + "/posts", user.token(), Map.of("body", "a reply")).expect(201);
        assertEquals(2, db.count("SELECT count(*) FROM threads WHERE author_id = ?", user.id()));
        assertEquals(0, db.count("SELECT count(*) FROM threads WHERE title = 'Third thread' AND author_id = ?",
                user.id()));
    }

    @Test
    void editsOfPostsAndTitlesAreLimitedAndARefusedEditChangesNothing() {
        User user = api.register("editor");
        var created = api.post("/api/threads", user.token(), thread("Editable")).expect(201).json();
        long threadId = created.get("id").getLongValue();
        long postId = created.get("firstPost").get("id").getLongValue();
        api.patch("/api/posts/" + postId, user.token(), Map.of("body", "edit one")).expect(200);
        b.patch("/api/threads/" + threadId, user.token(), Map.of("title", "Edited title")).expect(200);
        var refused = api.patch("/api/posts/" + postId, user.token(), Map.of("body", "edit three"))
                .expectProblem(429);
        assertTrue(refused.text("detail").contains("editing too fast"), refused.body());
        b.patch("/api/threads/" + threadId, user.token(), Map.of("title", "Refused title")).expectProblem(429);
        assertEquals("edit one", db.value("SELECT body FROM posts WHERE id = ?", postId));
        // The accepted title edit waits for moderation as the thread's only title revision.
        assertEquals(List.of("Edited title"), db.column(
                "SELECT title FROM thread_title_revisions WHERE thread_id = ? ORDER BY version", threadId));
        // Editing does not spend the posting budget.
        api.post("/api/threads/" + threadId + "/posts", user.token(), Map.of("body", "a reply")).expect(201);
    }

    @Test
    void requestsThatFailDoNotSpendTheBudget() {
        User user = api.register("clumsy");
        long threadId = api.post("/api/threads", user.token(), thread("Mistakes")).expect(201).id();
        for (int i = 0; i < 5; i++) {
            api.post("/api/threads/987654321/posts", user.token(), Map.of("body", "no such thread")).expectProblem(404);
            api.post("/api/threads", user.token(), Map.of("category", "no-such-category", "title", "Lost",
                    "body", "nowhere")).expectProblem(422);
        }
        api.post("/api/threads/" + threadId + "/posts", user.token(), Map.of("body", "two")).expect(201);
        api.post("/api/threads/" + threadId + "/posts", user.token(), Map.of("body", "three")).expect(201);
        api.post("/api/threads/" + threadId + "/posts", user.token(), Map.of("body", "four")).expectProblem(429);
    }

    @Test
    void moderatorsAndAdminsAreNotLimited() {
        User moderator = api.withRole("ratemod", "moderator");
        long threadId = api.post("/api/threads", moderator.token(), thread("Staff thread")).expect(201).id();
        for (int i = 0; i < 6; i++) {
            (i % 2 == 0 ? api : b).post("/api/threads/" + threadId + "/posts", moderator.token(),
                    Map.of("body", "staff reply " + i)).expect(201);
        }
        String admin = api.adminToken();
        for (int i = 0; i < 3; i++) {
            b.post("/api/threads", admin, thread("Admin thread " + i)).expect(201);
        }
    }

    @Test
    void rowsOfFullBucketsArePurgedAndPurgingLosesNothing() {
        User user = api.register("purged");
        long threadId = api.post("/api/threads", user.token(), thread("Purge")).expect(201).id();
        String key = Long.toString(user.id());
        assertEquals(1, db.count("SELECT count(*) FROM rate_limits WHERE scope = 'posts' AND key = ?", key));
        limiter.purge(100_000);
        assertEquals(1, db.count("SELECT count(*) FROM rate_limits WHERE scope = 'posts' AND key = ?", key),
                "a bucket in use survives");
        advance(Duration.ofMinutes(2));
        limiter.purge(100_000);
        assertEquals(0, db.count("SELECT count(*) FROM rate_limits WHERE scope = 'posts' AND key = ?", key));
        for (int i = 0; i < 3; i++) {
            api.post("/api/threads/" + threadId + "/posts", user.token(), Map.of("body", "after purge " + i)).expect(201);
        }
        api.post("/api/threads/" + threadId + "/posts", user.token(), Map.of("body", "over")).expectProblem(429);
    }

    private Map<String, Object> thread(String title) {
        return Map.of("category", slug, "title", title, "body", "Body of " + title);
    }

    private void advance(Duration duration) {
        clock.advance(duration);
        otherClock.set(clock.instant());
    }
}
