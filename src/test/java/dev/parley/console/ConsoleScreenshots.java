package dev.parley.console;

import dev.parley.support.Api;
import dev.parley.support.FakeOpenAiApiTest;
import dev.parley.support.ProcessLevel;
import dev.parley.support.Waits;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes the README's screenshots, docs/console-queue.png and docs/console-dashboard.png, from a
 * forum seeded through the API with the fake OpenAI's scripted scores. Decision and resolution
 * times are then spread over the past day in the database, so that the chart shows a day of
 * traffic rather than one busy minute. Runs only when asked:
 * {@code scripts/test.sh -Dtest=ConsoleScreenshots -Dparley.console.screenshots=true}.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfSystemProperty(named = "parley.console.screenshots", matches = "true")
@ProcessLevel
class ConsoleScreenshots extends FakeOpenAiApiTest {

    private static final List<String> CLEAN = List.of(
            "Has anyone tried the new sourdough starter method with rye flour?",
            "The patch notes for the spring update are out, the ranked changes look promising.",
            "Council meeting on the bike lanes is Thursday at 7pm, public comments are welcome.",
            "What is your go-to weeknight pasta? Mine is garlic, chili and lemon.",
            "Looking for a co-op partner for the raid this weekend, EU evenings.",
            "The library extended its opening hours, which is great news for students.",
            "Cast iron tip: dry it on the stove right after washing and it never rusts.",
            "Which controller layout do you use for the racing games?",
            "Thanks everyone for the warm welcome, glad to be here.",
            "Here is a summary of last week's thread with all the recipe links.");

    @Override
    protected Map<String, String> properties() {
        return Map.of("micronaut.server.port", "-1");
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)   // seeds 148 threads through moderation and embedding first
    void writeReadmeScreenshots() throws Exception {
        openai.scoreWhenContains("cannot go on", "self-harm", 0.52);
        openai.scoreWhenContains("cannot go on", "self-harm/intent", 0.31);
        openai.scoreWhenContains("those people", "hate", 0.93);
        openai.scoreWhenContains("gore", "violence/graphic", 0.61);
        long firstJob = jobs.mark();
        ScreenshotForum forum = ScreenshotForum.open(api, openai);
        String admin = forum.admin();
        List<Api.User> people = List.of(forum.user("maria_k"), forum.user("tomasz"), forum.user("greenleaf"),
                forum.user("nightowl"), forum.user("sam_cooks"), forum.user("pixelpusher"));
        Api.User moderator = forum.moderator("alex_mod");

        String[] slugs = {"cooking", "gaming", "town-hall", "general"};
        for (int i = 0; i < 140; i++) {
            forum.thread(people.get(i % people.size()), slugs[i % slugs.length], "Thread " + (i + 1) + ": "
                    + CLEAN.get(i % CLEAN.size()).split(" ")[0] + " and more", CLEAN.get(i % CLEAN.size()));
        }
        String[][] held = {
                {"town-hall", "Bike lanes again", "Honestly the people who voted for this are idiots and should move away."},
                {"gaming", "Ranked is broken", "Players who leave matches early deserve a beating, seriously."},
                {"general", "Great deal!!!", "Buy miracle pills without prescription, cheap, message me for the link."},
                {"general", "Rough week", "I feel like I cannot go on like this, everything is too much lately."},
                {"gaming", "That boss fight", "The gore in the final cutscene was way over the top, spoilers below."},
                {"cooking", "Restaurant review", "The staff were idiots, waited an hour for a cold soup."},
                {"town-hall", "Market square", "Those people ruin every market day and should be banned from town."},
                {"gaming", "Trash talk", "You are all idiots if you still play the old meta."},
        };
        for (int i = 0; i < held.length; i++) {
            forum.thread(people.get(i % people.size()), held[i][0], held[i][1], held[i][2]);
        }
        jobs.since(firstJob, "moderate", "embed").awaitFinished(Duration.ofMinutes(3));
        // Two items a moderator already dealt with, so the chart shows human decisions too.
        var open = api.get("/api/moderation/queue?limit=100", moderator.token()).expect(200).json().get("items");
        api.post("/api/moderation/queue/" + open.get(open.size() - 1).get("id").getLongValue() + "/resolve",
                moderator.token(), map("action", "reject", "note", "Targets a group")).expect(200);
        api.post("/api/moderation/queue/" + open.get(open.size() - 2).get("id").getLongValue() + "/resolve",
                moderator.token(), map("action", "approve", "note", "Fair criticism")).expect(200);
        Object reported = db.value("SELECT max(id) FROM posts WHERE status = 'published'");
        api.post("/api/posts/" + reported + "/report", people.get(3).token(),
                map("reason", "This is a personal attack on our neighbours")).expect(202);

        spreadOverThePastDay();
        long run = api.post("/api/admin/reindex", admin, map("model", "text-embedding-3-small", "scope", "all",
                "maxPerSecond", 3.0)).expect(202).json().get("id").getLongValue();
        // The dashboard is to show a run under way with some progress.
        Waits.until("the reindex run to make progress",
                () -> db.count("SELECT done FROM reindex_runs WHERE id = ?", run) > 0);

        try (Chromium chromium = Chromium.start()) {
            ConsolePage page = new ConsolePage(chromium.driver, server.getURI()).openSignedOut();
            chromium.driver.manage().window().setSize(new Dimension(1440, 900));
            page.signInAsStaff("alex_mod", "password-alex_mod");
            page.press("j");
            page.await(By.cssSelector("#queue-detail #score-bars"));
            assertTrue(page.driver.findElements(By.cssSelector("#queue-items .queue-item")).size() >= held.length - 2,
                    "the held posts the moderator has not resolved are queued");
            page.driver.findElement(By.cssSelector("#queue-items .queue-item:nth-child(3) .item-select")).click();
            page.driver.findElement(By.cssSelector("#queue-items .queue-item:nth-child(4) .item-select")).click();
            page.until(ExpectedConditions.textToBe(By.id("bulk-count"), "2 selected"));
            page.driver.findElement(By.id("decision-note")).click();
            page.until(d -> "decision-note".equals(d.switchTo().activeElement().getAttribute("id")));
            ScreenshotForum.save(chromium, "docs/console-queue.png");

            page.driver.findElement(By.id("sign-out")).click();
            page.signInAsStaff(Api.ADMIN, Api.ADMIN_PASSWORD);
            chromium.driver.manage().window().setSize(new Dimension(1440, 1000));
            page.go("dashboard");
            page.await(By.cssSelector("#chart-outcomes svg rect[data-series=flagged]"));
            page.await(By.cssSelector("#chart-categories svg rect"));
            page.await(By.cssSelector("#pipeline-table tbody tr"));
            page.await(By.cssSelector("#reindex-current .run"));
            ScreenshotForum.save(chromium, "docs/console-dashboard.png");
        } finally {
            api.delete("/api/admin/reindex/" + run, admin);
        }
    }

    /** Decisions at a rate that grows towards now, over the last 24 hours. */
    private void spreadOverThePastDay() {
        // In a fixed pseudo-random order, so the held posts (seeded last) fall across the day too.
        List<Object> ids = db.column("SELECT id FROM moderation_decisions ORDER BY md5(id::text)");
        Instant now = Instant.now();
        for (int i = 0; i < ids.size(); i++) {
            double position = (double) i / ids.size();
            // Quieter at night: squeeze the early part of the list into fewer hours.
            double hoursAgo = 23.5 * Math.pow(1 - position, 0.8);
            Instant at = now.minus(Duration.ofMinutes((long) (hoursAgo * 60)));
            db.execute("UPDATE moderation_decisions SET created_at = ? WHERE id = ?", Timestamp.from(at), ids.get(i));
        }
        db.execute("UPDATE review_items SET resolved_at = now() - interval '3 hours' WHERE resolved_by IS NOT NULL");
    }
}
