package dev.parley.forum;

import dev.parley.support.Api;
import dev.parley.support.Api.User;
import dev.parley.support.ApiTest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class ThreadApiTest extends ApiTest {

    @Test
    void aMemberOpensAThreadWithItsFirstPostThatIsHiddenUntilModerationPublishesIt() {
        User author = api.register("author");
        String slug = api.category("news");
        var created = api.post("/api/threads", author.token(),
                Map.of("category", slug, "title", "  Hello world  ", "body", "First post body")).expect(201).json();
        long id = created.get("id").getLongValue();
        assertEquals("Hello world", created.get("title").getStringValue());
        assertEquals(slug, created.get("category").getStringValue());
        assertEquals(author.username(), created.get("author").get("username").getStringValue());
        assertEquals(author.id(), created.get("author").get("id").getLongValue());
        assertFalse(created.get("locked").getBooleanValue());
        assertFalse(created.get("pinned").getBooleanValue());
        JsonNode pending = created.get("firstPost");
        assertEquals("pending", pending.get("status").getStringValue());
        assertEquals("First post body", pending.get("body").getStringValue());

        long postId = pending.get("id").getLongValue();
        JsonNode published = api.awaitModerated(postId, author.token(), "published");
        assertEquals(0, published.get("score").getIntValue());
        assertTrue(published.get("editedAt").isNull());
        assertEquals("published", published.get("moderation").get("decision").getStringValue());

        var read = api.get("/api/threads/" + id, null).expect(200);
        assertEquals("Hello world", read.text("title"));
        assertEquals(1, read.json().get("postCount").getIntValue());
        assertEquals(postId, read.json().get("firstPost").get("id").getLongValue());
        assertTrue(read.json().get("firstPost").get("moderation") == null, "the public sees no moderation details");
    }

    @Test
    void openingAThreadNeedsATokenAValidCategoryAndValidContent() {
        User author = api.register("author");
        String slug = api.category("val");
        api.post("/api/threads", null, Map.of("category", slug, "title", "Title", "body", "Body"))
                .expectProblem(401);
        api.post("/api/threads", author.token(), Map.of("category", "missing-cat", "title", "Title", "body", "x"))
                .expectInvalid("category");
        api.post("/api/threads", author.token(), Map.of("category", slug, "title", "ab", "body", " "))
                .expectInvalid("title").expectInvalid("body");
        api.post("/api/threads", author.token(), Map.of("category", slug, "title", "x".repeat(201), "body", "ok"))
                .expectInvalid("title");
        api.post("/api/threads", author.token(), Map.of("category", slug, "title", "Fine", "body", "y".repeat(32_001)))
                .expectInvalid("body");
        api.post("/api/threads", author.token(), map("category", slug, "body", "no title")).expectInvalid("title");
        api.post("/api/threads", author.token(), map("category", slug, "title", Map.of("nested", 1), "body", "x"))
                .expectProblem(400);
        assertEquals(0, db.count("SELECT count(*) FROM threads t JOIN categories c ON c.id = t.category_id"
                + " WHERE c.slug = ?", slug));
    }

    @Test
    void aThreadThatDoesNotExistIsNotFound() {
        api.get("/api/threads/999999999", null).expectProblem(404);
        api.get("/api/threads/not-a-number", null).expectProblem(400);
        api.patch("/api/threads/999999999", api.register("x").token(), Map.of("title", "Whatever"))
                .expectProblem(404);
    }

    @Test
    void listingPutsPinnedFirstThenMostRecentActivityAndPagesWithACursor() {
        User author = api.register("lister");
        String slug = api.category("list");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(api.thread(author, slug, "Thread number " + i, "body " + i).get("id").getLongValue());
        }
        // Activity moves thread 1 to the top of the unpinned ones; a moderator pins thread 3.
        api.reply(api.register("replier"), ids.get(1), "bump");
        api.patch("/api/threads/" + ids.get(3), api.withRole("mod", "moderator").token(), Map.of("pinned", true))
                .expect(200);

        List<Long> expected = List.of(ids.get(3), ids.get(1), ids.get(4), ids.get(2), ids.get(0));
        List<Long> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = api.get("/api/categories/" + slug + "/threads?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), null).expect(200).json();
            for (JsonNode thread : page.get("items").values()) {
                seen.add(thread.get("id").getLongValue());
            }
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").getStringValue();
            pages++;
        } while (cursor != null);
        assertEquals(expected, seen);
        assertEquals(3, pages);
    }

    @Test
    void listingValidatesLimitAndCursor() {
        String slug = api.category("limits");
        api.get("/api/categories/" + slug + "/threads?limit=0", null).expectInvalid("limit");
        api.get("/api/categories/" + slug + "/threads?limit=101", null).expectInvalid("limit");
        api.get("/api/categories/" + slug + "/threads?limit=abc", null).expectProblem(400);
        api.get("/api/categories/" + slug + "/threads?cursor=%25%25garbage", null).expectProblem(400);
        api.get("/api/categories/" + slug + "/threads?cursor=bm90LWEtY3Vyc29y", null).expectProblem(400);
        var empty = api.get("/api/categories/" + slug + "/threads", null).expect(200).json();
        assertEquals(0, empty.get("items").size());
        assertTrue(empty.get("nextCursor").isNull());
    }

    @Test
    void theAuthorChangesTheTitleButOnlyModeratorsLockAndPin() {
        User author = api.register("owner");
        User stranger = api.register("stranger");
        User moderator = api.withRole("mod", "moderator");
        long id = api.thread(author, api.category("patch"), "Original title", "body").get("id").getLongValue();

        JsonNode edited = api.patch("/api/threads/" + id, author.token(), Map.of("title", "Better title"))
                .expect(200).json();
        // The edit waits for moderation: the thread keeps its title, the author sees the edit pending.
        assertEquals("Original title", edited.get("title").getStringValue());
        assertEquals("Better title", edited.get("pendingTitle").get("title").getStringValue());
        assertEquals("pending", edited.get("pendingTitle").get("status").getStringValue());
        JsonNode published = api.awaitTitleModerated(id, author.token());
        assertEquals("Better title", published.get("title").getStringValue());
        assertEquals(null, published.get("pendingTitle"));
        assertEquals("Better title", api.get("/api/threads/" + id, null).expect(200).text("title"));
        api.patch("/api/threads/" + id, stranger.token(), Map.of("title", "Hijacked")).expectProblem(403);
        api.patch("/api/threads/" + id, author.token(), Map.of("locked", true)).expectProblem(403);
        api.patch("/api/threads/" + id, author.token(), Map.of("pinned", true)).expectProblem(403);
        api.patch("/api/threads/" + id, author.token(), Map.of("title", "no")).expectInvalid("title");
        api.patch("/api/threads/" + id, null, Map.of("title", "Anonymous")).expectProblem(401);

        var locked = api.patch("/api/threads/" + id, moderator.token(), Map.of("locked", true, "pinned", true))
                .expect(200).json();
        assertTrue(locked.get("locked").getBooleanValue());
        assertTrue(locked.get("pinned").getBooleanValue());
        assertEquals("Better title", locked.get("title").getStringValue());
        api.patch("/api/threads/" + id, author.token(), Map.of("title", "After the lock")).expectProblem(409);
    }

    @Test
    void aLockedThreadRefusesRepliesFromMembersUntilUnlocked() {
        User author = api.register("locked");
        User moderator = api.withRole("mod", "moderator");
        long id = api.thread(author, api.category("lock"), "Heated debate", "opening").get("id").getLongValue();
        api.patch("/api/threads/" + id, moderator.token(), Map.of("locked", true)).expect(200);

        api.post("/api/threads/" + id + "/posts", author.token(), Map.of("body", "one more thing"))
                .expectProblem(409);
        api.reply(moderator, id, "Locked: please cool down.");
        api.patch("/api/threads/" + id, moderator.token(), Map.of("locked", false)).expect(200);
        api.reply(author, id, "thanks");
        assertEquals(3, api.get("/api/threads/" + id, null).json().get("postCount").getIntValue());
    }

    @Test
    void deletingTheFirstPostHidesTheThreadFromThePublic() {
        User author = api.register("hider");
        String slug = api.category("hide");
        JsonNode thread = api.thread(author, slug, "Soon gone", "first");
        long id = thread.get("id").getLongValue();
        api.delete("/api/posts/" + thread.get("firstPost").get("id").getLongValue(), author.token()).expect(204);

        api.get("/api/threads/" + id, null).expectProblem(404);
        api.get("/api/threads/" + id + "/posts", null).expectProblem(404);
        assertEquals(0, api.get("/api/categories/" + slug + "/threads", null).json().get("items").size());
        var own = api.get("/api/threads/" + id, author.token()).expect(200).json();
        assertEquals("deleted", own.get("firstPost").get("status").getStringValue());
        assertEquals(0, own.get("postCount").getIntValue());
        api.get("/api/threads/" + id, api.withRole("mod", "moderator").token()).expect(200);
    }
}
