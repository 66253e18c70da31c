package dev.parley.console;

import dev.parley.support.Api.User;
import dev.parley.support.ProcessLevel;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.util.Map;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Appeals in the moderator console, in real headless Chromium (issue 14). */
@ProcessLevel
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppealBrowserTest extends BrowserTestBase {

    private User author;
    private User moderator;
    private String slug;

    @BeforeEach
    void setUp() {
        openai.reset();
        openai.scoreWhenContains("mildly rude", "harassment", 0.6);
        openai.scoreWhenContains("utterly hateful", "hate", 0.95);
        author = api.register("author");
        moderator = api.withRole("mod", "moderator");
        slug = api.category("appeals");
    }

    @AfterEach
    void awaitOwnJobs() {
        jobs.since(firstJob, "embed", "moderate").drain();
    }

    @Test
    void aModeratorReadsAnAppealWithTheOriginalScoresAndOverturnsItIntoPublicView() {
        long postId = post("Fermentation rant", "Sauerkraut is utterly hateful to anyone with taste.");
        api.awaitModerated(postId, author.token(), "rejected");
        String message = "It is about <b>cabbage</b>, not about people.";
        api.post("/api/posts/" + postId + "/appeal", author.token(), Map.of("message", message)).expect(201);

        page.signInAsStaff(moderator.username(), "password-" + moderator.username());
        page.filterCategory(slug);
        new Select(page.await(By.id("filter-kind"))).selectByValue("appeal");
        page.awaitQueueLoaded();
        WebElement row = page.item(postId);
        assertEquals("appeal", row.getAttribute("data-kind"));
        assertEquals("appeal", row.findElement(By.className("chip-appeal")).getText());
        assertTrue(!row.findElement(By.className("item-select")).isEnabled(), "appeals are decided one by one");
        row.click();
        page.awaitDetailOf(postId);

        assertEquals(message, page.js("return document.getElementById('appeal-message').textContent"),
                "the message is shown as typed");
        WebElement original = page.driver.findElement(By.id("appeal-original"));
        assertEquals("rejected", original.getAttribute("data-decision"));
        assertEquals("true", original.getAttribute("data-automated"));
        assertTrue(original.getText().contains("Rejected automatically under policy version"), original.getText());
        assertTrue(original.getText().contains("hate scored 0.95"), original.getText());
        WebElement hate = page.driver.findElement(By.cssSelector("#score-bars .bar-row[data-category=hate]"));
        assertTrue(hate.getAttribute("class").contains("bar-reject"), "the original scores, over the reject threshold");
        assertTrue(page.driver.findElements(By.id("approve")).isEmpty(), "an appeal is not approved but overturned");

        page.driver.findElement(By.id("decision-note")).sendKeys("Criticism of food is fine.");
        page.driver.findElement(By.id("overturn")).click();
        page.awaitItemGone(postId);
        page.awaitToast("Overturned the decision on post #" + postId);

        assertEquals("published", api.get("/api/posts/" + postId, null).expect(200).text("status"));
        JsonNode resolved = api.get("/api/moderation/queue?state=resolved&kind=appeal&category=" + slug,
                moderator.token()).expect(200).json().get("items").get(0);
        assertEquals("overturn", resolved.get("resolution").get("action").getStringValue());
        assertEquals("Criticism of food is fine.", resolved.get("resolution").get("note").getStringValue());
        JsonNode reasons = api.get("/api/posts/" + postId + "/moderation", author.token()).expect(200).json()
                .get("moderation");
        assertEquals("overturned", reasons.get("appeal").get("state").getStringValue());
    }

    @Test
    void theModeratorWhoRejectedAPostIsToldAnotherMustDecideItsAppeal() {
        long postId = post("Hot take", "That referee was mildly rude and clueless.");
        api.awaitModerated(postId, author.token(), "flagged");
        long itemId = api.get("/api/moderation/queue?category=" + slug, moderator.token()).json().get("items").get(0)
                .get("id").getLongValue();
        api.post("/api/moderation/queue/" + itemId + "/resolve", moderator.token(),
                map("action", "reject", "note", "Insulting")).expect(200);
        api.post("/api/posts/" + postId + "/appeal", author.token(), Map.of("message", "Referees are fair game."))
                .expect(201);

        page.signInAsStaff(moderator.username(), "password-" + moderator.username());
        page.filterCategory(slug);
        page.item(postId).click();
        page.awaitDetailOf(postId);
        page.await(By.id("own-decision"));
        assertTrue(page.driver.findElement(By.id("appeal-original")).getText().contains("Rejected by " + moderator.username()));
        page.press("o");
        page.awaitToast("another moderator must decide the appeal");
        assertEquals("rejected", api.get("/api/posts/" + postId, author.token()).expect(200).text("status"));
    }

    private long post(String title, String body) {
        return api.post("/api/threads", author.token(), map("category", slug, "title", title, "body", body))
                .expect(201).json().get("firstPost").get("id").getLongValue();
    }
}
