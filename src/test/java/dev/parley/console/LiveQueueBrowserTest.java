package dev.parley.console;

import dev.parley.support.Api.User;
import dev.parley.support.ProcessLevel;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's queue follows the moderators' event stream: no reload, no polling. */
@ProcessLevel
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveQueueBrowserTest extends BrowserTestBase {

    @AfterEach
    void awaitOwnJobs() {
        jobs.since(firstJob, "embed", "moderate").drain();
    }

    @Test
    void aPostFlaggedElsewhereAppearsInTheOpenQueueAndLeavesItWhenResolvedElsewhere() {
        openai.reset();
        openai.scoreWhenContains("mildly rude", "harassment", 0.6);
        User author = api.register("liveauthor");
        User moderator = api.withRole("livemod", "moderator");
        User colleague = api.withRole("livecolleague", "moderator");
        String slug = api.category("live");

        page.signInAsStaff(moderator.username(), "password-" + moderator.username());
        page.filterCategory(slug);
        page.until(d -> "live".equals(d.findElement(By.id("live")).getAttribute("data-state")));
        assertTrue(page.items().isEmpty(), "a new category's queue starts empty");
        // Survives only if the page is not loaded again.
        page.js("window.parleyLiveMarker = 'same page'");

        // Elsewhere: a member posts through the API, and moderation flags the post.
        long postId = api.post("/api/threads", author.token(), map("category", slug, "title", "Live",
                "body", "This is mildly rude")).expect(201).json().get("firstPost").get("id").getLongValue();
        api.awaitModerated(postId, author.token(), "flagged");
        page.item(postId);

        // A colleague approves it from their own client: it leaves this moderator's open queue.
        long itemId = api.get("/api/moderation/queue?category=" + slug, colleague.token()).expect(200).json()
                .get("items").get(0).get("id").getLongValue();
        api.post("/api/moderation/queue/" + itemId + "/resolve", colleague.token(),
                map("action", "approve", "note", "fine")).expect(200);
        page.awaitItemGone(postId);
        assertEquals("same page", page.js("return window.parleyLiveMarker"));
    }
}
