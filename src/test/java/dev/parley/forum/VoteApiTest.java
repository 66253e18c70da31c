package dev.parley.forum;

import dev.parley.support.Api.User;
import dev.parley.support.ApiTest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

@MicronautTest(transactional = false)
class VoteApiTest extends ApiTest {

    @Test
    void oneVotePerUserAndPostThatCanBeChangedAndWithdrawn() {
        User author = api.register("voted");
        User voter = api.register("voter");
        long postId = api.thread(author, api.category("votes"), "Vote on me", "body").get("firstPost").get("id")
                .getLongValue();

        assertEquals(1, score(api.put("/api/posts/" + postId + "/vote", voter.token(), Map.of("value", 1))));
        assertEquals(1, score(api.put("/api/posts/" + postId + "/vote", voter.token(), Map.of("value", 1))));
        assertEquals(-1, score(api.put("/api/posts/" + postId + "/vote", voter.token(), Map.of("value", -1))));
        assertEquals(1, db.count("SELECT count(*) FROM votes WHERE post_id = ?", postId));
        assertEquals(0, score(api.delete("/api/posts/" + postId + "/vote", voter.token())));
        assertEquals(0, score(api.delete("/api/posts/" + postId + "/vote", voter.token())));
        assertEquals(0, api.get("/api/posts/" + postId, null).json().get("score").getIntValue());
    }

    @Test
    void votesAreValidatedAndNeedAPublishedPostOfSomeoneElse() {
        User author = api.register("voted");
        User voter = api.register("voter");
        long threadId = api.thread(author, api.category("vv"), "Votes", "body").get("id").getLongValue();
        long postId = api.reply(author, threadId, "reply").get("id").getLongValue();

        api.put("/api/posts/" + postId + "/vote", voter.token(), Map.of("value", 2)).expectInvalid("value");
        api.put("/api/posts/" + postId + "/vote", voter.token(), Map.of("value", "up")).expectProblem(400);
        api.put("/api/posts/" + postId + "/vote", voter.token(), Map.of()).expectInvalid("value");
        api.put("/api/posts/" + postId + "/vote", null, Map.of("value", 1)).expectProblem(401);
        api.put("/api/posts/" + postId + "/vote", author.token(), Map.of("value", 1)).expectProblem(403);
        api.put("/api/posts/999999999/vote", voter.token(), Map.of("value", 1)).expectProblem(404);
        api.delete("/api/posts/" + postId, author.token()).expect(204);
        api.put("/api/posts/" + postId + "/vote", voter.token(), Map.of("value", 1)).expectProblem(404);
        assertEquals(0, db.count("SELECT count(*) FROM votes WHERE post_id = ?", postId));
    }

    @Test
    void concurrentVotesAddUpExactly() {
        User author = api.register("popular");
        long postId = api.thread(author, api.category("race"), "Race", "body").get("firstPost").get("id")
                .getLongValue();
        List<User> voters = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            voters.add(api.register("fan"));
        }
        CompletableFuture.allOf(voters.stream().map(v -> CompletableFuture.runAsync(() ->
                api.put("/api/posts/" + postId + "/vote", v.token(), Map.of("value", 1)).expect(200)))
                .toArray(CompletableFuture[]::new)).join();
        assertEquals(8, api.get("/api/posts/" + postId, null).json().get("score").getIntValue());
        assertEquals(8L, db.value("SELECT sum(value) FROM votes WHERE post_id = ?", postId));
    }

    private static int score(dev.parley.support.Api.Res res) {
        return res.expect(200).json().get("score").getIntValue();
    }
}
