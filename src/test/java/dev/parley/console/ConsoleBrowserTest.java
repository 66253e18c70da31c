package dev.parley.console;

import dev.parley.support.Api.User;
import dev.parley.support.Api;
import dev.parley.support.ProcessLevel;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.util.List;
import java.util.Map;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The moderator console in real headless Chromium, against the service on a random port with
 * OpenAI's moderation and embeddings played by the fake. One browser for the whole class.
 */
@ProcessLevel
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest extends BrowserTestBase {

    private static final String RUDE = "mildly rude";

    private User author;
    private User moderator;
    private String slug;

    @BeforeEach
    void setUp() {
        openai.reset();
        openai.scoreWhenContains(RUDE, "harassment", 0.6);
        openai.scoreWhenContains("utterly hateful", "hate", 0.95);
        author = api.register("author");
        moderator = api.withRole("mod", "moderator");
        slug = api.category("queue");
    }

    @AfterEach
    void awaitOwnJobs() {
        // A run a failed test left running would go on embedding with the fake in later test classes.
        db.execute("UPDATE reindex_runs SET state = 'cancelled', finished_at = now() WHERE state = 'running'");
        jobs.since(firstJob, "embed", "moderate", "reindex").drain();
    }

    @Test
    void aMemberIsToldTheyLackTheModeratorRoleAndKeepsNoToken() {
        page.signIn(author.username(), "wrong password");
        page.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"),
                "Wrong username or password."));

        page.signIn(author.username(), "password-" + author.username());
        page.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"),
                "the console needs the moderator role"));
        assertTrue(page.driver.findElement(By.id("login-error")).getText().contains("this account is a member"));
        assertFalse(page.driver.findElement(By.id("nav")).isDisplayed());
        assertFalse(page.driver.findElement(By.id("view-queue")).isDisplayed());
        assertNull(page.js("return sessionStorage.getItem('parley.console.session')"));
        assertEquals("", page.js("return document.cookie"));
    }

    @Test
    void aModeratorSeesAFlaggedPostWithItsScoreBarsAndApprovesItIntoPublicView() {
        String body = "Tabs are for people who never learned to count spaces. Just " + RUDE + ".";
        long postId = flagged("Tabs or spaces?", body);

        page.signInAsStaff(moderator.username(), "password-" + moderator.username());
        assertEquals("moderator", page.driver.findElement(By.id("who-role")).getText().toLowerCase());
        page.filterCategory(slug);
        page.item(postId).click();
        page.awaitDetailOf(postId);
        assertEquals(body, page.driver.findElement(By.id("detail-body")).getText());
        assertTrue(page.driver.findElement(By.cssSelector("#queue-detail .author")).getText()
                .equals(author.username()));
        WebElement trust = page.driver.findElement(By.cssSelector("#queue-detail .trust"));
        assertEquals("TL0", trust.getText().trim(), "a new account's trust level beside its name");
        assertEquals("Trust level 0 (new)", trust.getAttribute("title"));
        assertEquals("Tabs or spaces?", page.driver.findElement(By.cssSelector("#queue-detail .detail-title")).getText());

        List<WebElement> bars = page.driver.findElements(By.cssSelector("#score-bars .bar-row"));
        assertEquals(13, bars.size(), "one bar per harm category");
        WebElement harassment = page.driver.findElement(By.cssSelector("#score-bars .bar-row[data-category=harassment]"));
        assertTrue(harassment.getAttribute("class").contains("bar-flag"), "over the flag threshold, under reject");
        assertEquals("0.60", harassment.findElement(By.className("bar-value")).getText());
        assertEquals("0.5", harassment.findElement(By.cssSelector(".bar-mark.flag")).getAttribute("data-threshold"));
        assertEquals("0.9", harassment.findElement(By.cssSelector(".bar-mark.reject")).getAttribute("data-threshold"));
        assertEquals("60%", page.js("return arguments[0].style.width",
                harassment.findElement(By.className("bar-fill"))));
        WebElement hate = page.driver.findElement(By.cssSelector("#score-bars .bar-row[data-category=hate]"));
        assertTrue(hate.getAttribute("class").contains("bar-ok"));

        page.driver.findElement(By.id("decision-note")).sendKeys("Blunt, but not harassment.");
        page.driver.findElement(By.id("approve")).click();
        page.awaitItemGone(postId);
        page.awaitToast("Approved post #" + postId);

        JsonNode published = api.get("/api/posts/" + postId, null).expect(200).json();
        assertEquals("published", published.get("status").getStringValue());
        JsonNode resolved = api.get("/api/moderation/queue?state=resolved&category=" + slug, moderator.token())
                .expect(200).json().get("items").get(0);
        assertEquals("approve", resolved.get("resolution").get("action").getStringValue());
        assertEquals("Blunt, but not harassment.", resolved.get("resolution").get("note").getStringValue());
        assertEquals(moderator.username(), resolved.get("resolution").get("by").getStringValue());

        // A moderator reads the policy and the decisions but neither edits nor sees admin panels.
        page.go("policy");
        page.await(By.id("policy-readonly"));
        assertFalse(page.driver.findElement(By.name("harassment.flag")).isEnabled());
        page.go("dashboard");
        page.await(By.id("dash-admin-note"));
        assertFalse(page.driver.findElement(By.id("pipeline-card")).isDisplayed());
    }

    @Test
    void theKeyboardMovesThroughTheQueueAndRejectsAnotherPost() {
        long first = flagged("First rude thread", "This is " + RUDE + ", number one.");
        long second = flagged("Second rude thread", "This is " + RUDE + ", number two.");
        page.signInAsStaff(moderator.username(), "password-" + moderator.username());
        page.filterCategory(slug);
        String shortcuts = page.driver.findElement(By.id("shortcuts")).getText();
        for (String shown : new String[]{"j\nnext", "k\nprevious", "a\napprove", "r\nreject"}) {
            assertTrue(shortcuts.replace(" ", "\n").contains(shown), "shortcut shown: " + shown + " in " + shortcuts);
        }
        page.item(first).click();
        page.awaitDetailOf(first);
        page.press("j");
        page.awaitDetailOf(second);
        page.press("k");
        page.awaitDetailOf(first);
        page.press("j");
        page.awaitDetailOf(second);
        page.press("r");
        page.awaitItemGone(second);
        page.awaitToast("Rejected post #" + second);

        api.get("/api/posts/" + second, null).expectProblem(404);
        assertEquals("rejected", api.get("/api/posts/" + second, author.token()).expect(200).text("status"));
        assertEquals("flagged", api.get("/api/posts/" + first, author.token()).expect(200).text("status"),
                "the other post is untouched");
        page.awaitDetailOf(first);
    }

    @Test
    void twoSelectedItemsAreApprovedTogether() {
        long one = flagged("Bulk one", "Bulk " + RUDE + " one");
        long two = flagged("Bulk two", "Bulk " + RUDE + " two");
        long three = flagged("Bulk three", "Bulk " + RUDE + " three");
        page.signInAsStaff(moderator.username(), "password-" + moderator.username());
        page.filterCategory(slug);
        page.item(one).findElement(By.className("item-select")).click();
        page.item(three).findElement(By.className("item-select")).click();
        page.until(ExpectedConditions.textToBe(By.id("bulk-count"), "2 selected"));
        page.driver.findElement(By.id("bulk-note")).sendKeys("Reviewed together");
        page.driver.findElement(By.id("bulk-approve")).click();
        page.awaitItemGone(one);
        page.awaitItemGone(three);
        page.awaitToast("2 approved");

        assertEquals("published", api.get("/api/posts/" + one, null).expect(200).text("status"));
        assertEquals("published", api.get("/api/posts/" + three, null).expect(200).text("status"));
        assertEquals("flagged", api.get("/api/posts/" + two, author.token()).expect(200).text("status"));
        page.item(two);
        assertEquals(1, page.items().size());
        assertFalse(page.driver.findElement(By.id("bulk-bar")).isDisplayed());
    }

    @Test
    void aPostContainingScriptIsShownAsTextAndNothingRuns() {
        String title = "<b>Bold</b> title <script>window.parleyInjected = 'title'</script>";
        String body = "Look: <script>window.parleyInjected = 'body'</script>"
                + "<img src=x onerror=\"window.parleyInjected = 'img'\"> is " + RUDE + " & <i>odd</i>";
        long postId = flagged(title, body);
        page.signInAsStaff(moderator.username(), "password-" + moderator.username());
        page.filterCategory(slug);
        page.item(postId).click();
        page.awaitDetailOf(postId);

        assertEquals(body, page.js("return document.getElementById('detail-body').textContent"));
        assertEquals(title, page.js("return document.querySelector('#queue-detail .detail-title').textContent"));
        assertEquals(title, page.item(postId).findElement(By.className("item-title")).getText());
        assertTrue(page.driver.findElement(By.id("detail-body")).getText().contains("<script>"),
                "the markup is visible as typed");
        assertEquals("undefined", page.js("return typeof window.parleyInjected"), "no injected script ran");
        assertEquals(0L, page.js("return document.querySelectorAll('main script, main img[src=x], main b, main i').length"));
        assertEquals(1L, page.js("return document.scripts.length"), "only the console's own module");
    }

    @Test
    void theDashboardChartsDecisionsAndAnAdminStartsAndCancelsAReindex() {
        api.thread(author, slug, "Friendly thread", "A calm and friendly question");
        flagged("A rude thread", "This is " + RUDE);
        long rejected = post("A hateful thread", "Something utterly hateful");
        api.awaitModerated(rejected, author.token(), "rejected");

        page.signInAsStaff(Api.ADMIN, Api.ADMIN_PASSWORD);
        page.go("dashboard");
        page.await(By.cssSelector("#chart-outcomes svg rect[data-series=flagged]"));
        JsonNode timeline = api.get("/api/moderation/stats/timeline", api.adminToken()).expect(200).json();
        for (String outcome : new String[]{"published", "flagged", "rejected"}) {
            long expected = 0;
            for (JsonNode bucket : timeline.get("buckets").values()) {
                expected += bucket.get("decisions").get(outcome).getLongValue();
            }
            assertEquals(String.valueOf(expected), page.driver.findElement(By.cssSelector(
                    "#chart-outcomes .legend li[data-series=" + outcome + "] .legend-total")).getText(), outcome);
        }
        page.await(By.cssSelector("#chart-categories .legend li[data-series=harassment]"));
        page.await(By.cssSelector("#chart-categories svg rect[data-series=hate]"));
        page.await(By.cssSelector("#pipeline-table tbody tr"));

        new Select(page.driver.findElement(By.id("reindex-scope"))).selectByValue("all");
        page.driver.findElement(By.id("reindex-model")).sendKeys("text-embedding-3-small");
        page.driver.findElement(By.id("reindex-rate")).sendKeys("1");
        page.driver.findElement(By.id("reindex-start")).click();
        WebElement run = page.await(By.cssSelector("#reindex-current .run"));
        long runId = Long.parseLong(run.getAttribute("data-run"));
        JsonNode started = api.get("/api/admin/reindex/" + runId, api.adminToken()).expect(200).json();
        assertEquals("running", started.get("state").getStringValue());
        assertEquals(String.valueOf(started.get("total").getIntValue()),
                run.findElement(By.className("progress")).getAttribute("aria-valuemax"));
        // The console groups thousands ("1,234"): the suite's database holds thousands of posts by now.
        assertTrue(run.findElement(By.className("run-count")).getText().replace(",", "")
                .contains("of " + started.get("total").getIntValue() + " posts"));
        assertTrue(run.getText().contains("posts/s") && run.getText().contains("ETA"));

        run.findElement(By.cssSelector("button[data-cancel]")).click();
        page.await(By.id("reindex-idle"));
        page.await(By.cssSelector("#reindex-table tr[data-run='" + runId + "'] .state-cancelled"));
        assertEquals("cancelled", api.get("/api/admin/reindex/" + runId, api.adminToken()).expect(200).text("state"));
    }

    @Test
    void anAdminPreviewsAThresholdChangeAndSavesItWithAnOverride() {
        flagged("Rude one", "Quite " + RUDE + " indeed");
        page.signInAsStaff(Api.ADMIN, Api.ADMIN_PASSWORD);
        page.go("policy");
        WebElement flag = page.await(By.name("harassment.flag"));
        assertEquals("0.5", flag.getAttribute("value"));
        assertFalse(page.driver.findElement(By.id("policy-save")).isEnabled(), "nothing to save yet");
        flag.clear();
        flag.sendKeys("0.7");
        page.until(ExpectedConditions.elementToBeClickable(By.id("policy-save")));

        WebElement last = page.driver.findElement(By.id("preview-last"));
        last.clear();
        last.sendKeys("20");
        page.driver.findElement(By.id("preview-run")).click();
        page.await(By.id("preview-table"));
        Map<String, Object> draft = Policies.defaults();
        @SuppressWarnings("unchecked")
        Map<String, Object> thresholds = (Map<String, Object>) draft.get("thresholds");
        thresholds.put("harassment", map("flag", 0.7, "reject", 0.9));
        JsonNode expected = api.post("/api/moderation/policy/preview", api.adminToken(), map("policy", draft, "last", 20))
                .expect(200).json();
        assertTrue(expected.get("changed").getLongValue() >= 1, "the rude post would be published");
        assertEquals(String.valueOf(expected.get("changed").getLongValue()),
                page.driver.findElement(By.id("preview-changed")).getText());
        assertEquals(String.valueOf(expected.get("candidate").get("flagged").getLongValue()), page.driver.findElement(
                By.cssSelector("#preview-table tr[data-outcome=flagged] td:nth-child(3)")).getText());
        assertTrue(page.driver.findElement(By.cssSelector("#policy-table tr[data-category=harassment] .preview-cell"))
                .getText().contains("→"));

        page.driver.findElement(By.id("policy-save")).click();
        page.awaitToast("Policy saved as version");
        JsonNode saved = api.get("/api/moderation/policy", moderator.token()).expect(200).json();
        assertEquals(0.7, saved.get("thresholds").get("harassment").get("flag").getDoubleValue(), 1e-9);

        new Select(page.driver.findElement(By.id("policy-scope"))).selectByValue(slug);
        page.driver.findElement(By.cssSelector("#policy-table tr[data-category=hate] input.override")).click();
        WebElement reject = page.await(By.name("hate.reject"));
        assertTrue(reject.isEnabled());
        reject.clear();
        reject.sendKeys("0.95");
        page.driver.findElement(By.id("policy-save")).click();
        page.until(d -> api.get("/api/moderation/policy", moderator.token()).json().get("categoryOverrides").get(slug) != null);
        JsonNode override = api.get("/api/moderation/policy", moderator.token()).json()
                .get("categoryOverrides").get(slug).get("thresholds");
        assertEquals(1, override.size(), "only the ticked harm category is overridden");
        assertEquals(0.4, override.get("hate").get("flag").getDoubleValue(), 1e-9);
        assertEquals(0.95, override.get("hate").get("reject").getDoubleValue(), 1e-9);
    }

    @Test
    void aSaveFromThePolicyEditorKeepsTheNewAccountRulesItDoesNotEdit() {
        Map<String, Object> policy = Policies.defaults();
        policy.put("newAccounts", map("belowLevel", 1, "reviewFirstPosts", 3));
        policy.put("categoryOverrides", Map.of(slug, map("newAccounts", map("belowLevel", 2, "reviewFirstPosts", 1))));
        api.put("/api/moderation/policy", api.adminToken(), policy).expect(200);
        try {
            page.signInAsStaff(Api.ADMIN, Api.ADMIN_PASSWORD);
            page.go("policy");
            WebElement flag = page.await(By.name("harassment.flag"));
            flag.clear();
            flag.sendKeys("0.7");
            page.until(ExpectedConditions.elementToBeClickable(By.id("policy-save")));
            page.driver.findElement(By.id("policy-save")).click();
            page.awaitToast("Policy saved as version");
            JsonNode saved = api.get("/api/moderation/policy", moderator.token()).expect(200).json();
            assertEquals(0.7, saved.get("thresholds").get("harassment").get("flag").getDoubleValue(), 1e-9);
            assertEquals(3, saved.get("newAccounts").get("reviewFirstPosts").getIntValue());
            assertEquals(2, saved.get("categoryOverrides").get(slug).get("newAccounts").get("belowLevel").getIntValue());
        } finally {
            // No gating for whatever runs next.
            api.put("/api/moderation/policy", api.adminToken(), Policies.defaults()).expect(200);
        }
    }

    @Test
    void aFlaggedTitleEditShowsAsATitleEditWithTheProposedTitleAndApprovalPublishesIt() {
        JsonNode thread = api.thread(author, slug, "Tabs or spaces", "A calm question about indentation.");
        long threadId = thread.get("id").getLongValue();
        long firstPostId = thread.get("firstPost").get("id").getLongValue();
        String proposed = "Tabs, spaces and " + RUDE + " takes";
        api.patch("/api/threads/" + threadId, author.token(), map("title", proposed)).expect(200);
        assertEquals("flagged", api.awaitTitleModerated(threadId, author.token()).get("pendingTitle")
                .get("status").getStringValue());

        page.signInAsStaff(moderator.username(), "password-" + moderator.username());
        page.filterCategory(slug);
        assertTrue(page.item(firstPostId).findElement(By.className("item-snippet")).getText()
                .startsWith("Title edit: " + proposed));
        page.item(firstPostId).click();
        page.awaitDetailOf(firstPostId);
        assertEquals("Tabs or spaces",
                page.driver.findElement(By.cssSelector("#queue-detail .detail-title")).getText());
        assertEquals(proposed, page.driver.findElement(By.id("detail-body")).getText());
        assertTrue(page.driver.findElement(By.id("detail-subject")).getText().startsWith("Title edit #1"));

        page.driver.findElement(By.id("approve")).click();
        page.awaitItemGone(firstPostId);
        page.awaitToast("Approved title edit of thread #" + threadId);
        assertEquals(proposed, api.get("/api/threads/" + threadId, null).expect(200).text("title"));
    }

    private long flagged(String title, String body) {
        long postId = post(title, body);
        api.awaitModerated(postId, author.token(), "flagged");
        return postId;
    }

    private long post(String title, String body) {
        return api.post("/api/threads", author.token(), map("category", slug, "title", title, "body", body))
                .expect(201).json().get("firstPost").get("id").getLongValue();
    }
}
