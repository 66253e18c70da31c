package dev.parley.console;

import dev.parley.support.Api;
import dev.parley.support.FakeOpenAiApiTest;
import dev.parley.support.ProcessLevel;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

import java.time.Duration;
import java.util.Map;

import static dev.parley.support.Api.map;

/**
 * Writes docs/console-appeal.png for the moderation doc: an appeal in the review queue, with the
 * author's message, the decision under appeal and its scores, among flagged posts. Runs only when
 * asked: {@code scripts/test.sh -Dtest=AppealScreenshot -Dparley.console.screenshots=true}.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfSystemProperty(named = "parley.console.screenshots", matches = "true")
@ProcessLevel
class AppealScreenshot extends FakeOpenAiApiTest {

    @Override
    protected Map<String, String> properties() {
        return Map.of("micronaut.server.port", "-1");
    }

    @Test
    void writeTheAppealScreenshot() throws Exception {
        openai.scoreWhenContains("slaughter", "violence", 0.97);
        openai.scoreWhenContains("slaughter", "violence/graphic", 0.58);
        long firstJob = jobs.mark();
        ScreenshotForum forum = ScreenshotForum.open(api, openai);
        Api.User jonas = forum.user("jonas_w");
        Api.User priya = forum.user("priya_s");
        Api.User lena = forum.user("lena_bakes");
        Api.User kim = forum.moderator("kim_mod");
        forum.moderator("alex_mod");

        long appealed = forum.thread(lena, "cooking", "Pig day at the farm",
                "We slaughter two pigs every November and make sausages for the whole village. Recipe inside.");
        forum.thread(jonas, "town-hall", "Bike lanes again", "Honestly the people who voted for this are idiots.");
        forum.thread(priya, "gaming", "Ranked is broken", "Players who leave matches early deserve a beating, seriously.");
        long rejectedByKim = forum.thread(jonas, "gaming", "Trash talk", "You are all idiots if you still play the old meta.");
        forum.thread(priya, "general", "Great deal!!!", "Buy miracle pills without prescription, message me.");
        jobs.since(firstJob, "moderate").awaitFinished(Duration.ofMinutes(2));

        // Kim rejects one flagged post; its author appeals, as does the farmer whose post the
        // automation rejected for its "slaughter".
        JsonNode open = api.get("/api/moderation/queue?limit=100&category=gaming", kim.token()).expect(200).json();
        for (JsonNode item : open.get("items").values()) {
            if (item.get("post").get("id").getLongValue() == rejectedByKim) {
                api.post("/api/moderation/queue/" + item.get("id").getLongValue() + "/resolve", kim.token(),
                        map("action", "reject", "note", "Insults the other players")).expect(200);
            }
        }
        api.post("/api/posts/" + rejectedByKim + "/appeal", jonas.token(),
                Map.of("message", "It was friendly banter in a thread about banter.")).expect(201);
        api.post("/api/posts/" + appealed + "/appeal", lena.token(), Map.of("message",
                "This is about butchering on a farm, a tradition here. Nobody is threatened; please read the recipe."))
                .expect(201);

        try (Chromium chromium = Chromium.start()) {
            ConsolePage page = new ConsolePage(chromium.driver, server.getURI()).openSignedOut();
            // Tall enough for the overturn and uphold buttons below the score bars.
            chromium.driver.manage().window().setSize(new Dimension(1440, 1180));
            page.signInAsStaff("alex_mod", "password-alex_mod");
            page.item(appealed).click();
            page.awaitDetailOf(appealed);
            page.await(By.cssSelector("#queue-detail #appeal-original"));
            page.await(By.cssSelector("#queue-detail #score-bars"));
            page.driver.findElement(By.id("decision-note")).sendKeys("Farm butchering, not violence against people.");
            ScreenshotForum.save(chromium, "docs/console-appeal.png");
        }
    }
}
