package dev.parley.forum;

import dev.parley.support.Api.User;
import dev.parley.support.ApiTest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class PostApiTest extends ApiTest {

    @Test
    void repliesAreListedOldestFirstAcrossPagesAndCountedOnTheThread() {
        User author = api.register("op");
        User replier = api.register("replier");
        JsonNode thread = api.thread(author, api.category("replies"), "Many replies", "post 0");
        long threadId = thread.get("id").getLongValue();
        for (int i = 1; i <= 4; i++) {
            JsonNode reply = api.reply(replier, threadId, "post " + i);
            assertEquals(threadId, reply.get("threadId").getLongValue());
            assertEquals("published", reply.get("status").getStringValue());
        }

        List<String> bodies = new ArrayList<>();
        String cursor = null;
        do {
            var page = api.get("/api/threads/" + threadId + "/posts?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), null).expect(200).json();
            page.get("items").values().forEach(p -> bodies.add(p.get("body").getStringValue()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").getStringValue();
        } while (cursor != null);
        assertEquals(List.of("post 0", "post 1", "post 2", "post 3", "post 4"), bodies);

        var read = api.get("/api/threads/" + threadId, null).json();
        assertEquals(5, read.get("postCount").getIntValue());
        assertTrue(read.get("lastActivityAt").getStringValue()
                .compareTo(thread.get("lastActivityAt").getStringValue()) > 0);
    }

    @Test
    void replyingNeedsATokenAnExistingThreadAndABody() {
        User user = api.register("replier");
        long threadId = api.thread(user, api.category("rv"), "Replies", "body").get("id").getLongValue();
        api.post("/api/threads/" + threadId + "/posts", null, Map.of("body", "hi")).expectProblem(401);
        api.post("/api/threads/999999999/posts", user.token(), Map.of("body", "hi")).expectProblem(404);
        api.post("/api/threads/" + threadId + "/posts", user.token(), Map.of("body", "")).expectInvalid("body");
        api.post("/api/threads/" + threadId + "/posts", user.token(), Map.of("body", "nul\u0000byte"))
                .expectInvalid("body");
        api.post("/api/threads/" + threadId + "/posts", user.token(), Map.of()).expectInvalid("body");
        assertEquals(1, db.count("SELECT count(*) FROM posts WHERE thread_id = ?", threadId));
    }

    @Test
    void theAuthorEditsTheirPostAndNobodyElseCan() {
        User author = api.register("editor");
        User stranger = api.register("stranger");
        User moderator = api.withRole("mod", "moderator");
        long threadId = api.thread(author, api.category("edit"), "Edits", "opening").get("id").getLongValue();
        long postId = api.reply(author, threadId, "tyop").get("id").getLongValue();

        var edited = api.patch("/api/posts/" + postId, author.token(), Map.of("body", "typo")).expect(200).json();
        assertEquals("typo", edited.get("body").getStringValue());
        assertEquals("pending", edited.get("status").getStringValue(), "an edit goes through moderation again");
        assertFalse(edited.get("editedAt").isNull());
        assertEquals(2, db.count("SELECT version FROM posts WHERE id = ?", postId));
        api.awaitModerated(postId, author.token(), "published");

        api.patch("/api/posts/" + postId, stranger.token(), Map.of("body", "mine now")).expectProblem(403);
        api.patch("/api/posts/" + postId, moderator.token(), Map.of("body", "staff edit")).expectProblem(403);
        api.patch("/api/posts/" + postId, null, Map.of("body", "anon")).expectProblem(401);
        api.patch("/api/posts/" + postId, author.token(), Map.of("body", "")).expectInvalid("body");
        api.patch("/api/posts/999999999", author.token(), Map.of("body", "ghost")).expectProblem(404);
        assertEquals("typo", api.get("/api/posts/" + postId, null).text("body"));
    }

    @Test
    void postsInALockedThreadCannotBeEditedByMembers() {
        User author = api.register("lockedit");
        User moderator = api.withRole("mod", "moderator");
        JsonNode thread = api.thread(author, api.category("le"), "Locked edits", "opening");
        api.patch("/api/threads/" + thread.get("id").getLongValue(), moderator.token(), Map.of("locked", true))
                .expect(200);
        api.patch("/api/posts/" + thread.get("firstPost").get("id").getLongValue(), author.token(),
                Map.of("body", "rewrite history")).expectProblem(409);
    }

    @Test
    void softDeleteHidesThePostFromThePublicButNotFromItsAuthorOrModerators() {
        User author = api.register("deleter");
        User stranger = api.register("stranger");
        User moderator = api.withRole("mod", "moderator");
        long threadId = api.thread(author, api.category("del"), "Deletes", "opening").get("id").getLongValue();
        long mine = api.reply(author, threadId, "regret").get("id").getLongValue();
        long theirs = api.reply(stranger, threadId, "spam").get("id").getLongValue();

        api.delete("/api/posts/" + theirs, author.token()).expectProblem(403);
        api.delete("/api/posts/" + mine, null).expectProblem(401);
        api.delete("/api/posts/" + mine, author.token()).expect(204);
        api.delete("/api/posts/" + mine, author.token()).expect(204);
        api.delete("/api/posts/" + theirs, moderator.token()).expect(204);

        api.get("/api/posts/" + mine, null).expectProblem(404);
        api.get("/api/posts/" + mine, stranger.token()).expectProblem(404);
        assertEquals("deleted", api.get("/api/posts/" + mine, author.token()).expect(200).text("status"));
        assertEquals("deleted", api.get("/api/posts/" + theirs, moderator.token()).expect(200).text("status"));
        assertEquals("regret", db.value("SELECT body FROM posts WHERE id = ?", mine), "soft delete keeps the row");

        assertEquals(1, api.get("/api/threads/" + threadId + "/posts", null).json().get("items").size());
        assertEquals(2, api.get("/api/threads/" + threadId + "/posts", author.token()).json().get("items").size());
        assertEquals(3, api.get("/api/threads/" + threadId + "/posts", moderator.token()).json().get("items").size());
        assertEquals(1, api.get("/api/threads/" + threadId, null).json().get("postCount").getIntValue());
        api.patch("/api/posts/" + mine, author.token(), Map.of("body", "undo")).expectProblem(409);
    }

    @Test
    void hiddenPostsAreNotFoundRatherThanForbidden() {
        User author = api.register("hidden");
        long threadId = api.thread(author, api.category("hid"), "Hidden", "opening").get("id").getLongValue();
        long postId = api.reply(author, threadId, "soon hidden").get("id").getLongValue();
        api.delete("/api/posts/" + postId, author.token()).expect(204);
        var problem = api.patch("/api/posts/" + postId, api.register("other").token(), Map.of("body", "x"))
                .expectProblem(404);
        assertFalse(problem.body().contains("soon hidden"));
    }
}
