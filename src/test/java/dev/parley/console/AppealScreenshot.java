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
import org.openqa.selenium.OutputType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        openai.scoreWhenContains("idiots", "harassment", 0.64);
        openai.scoreWhenContains("idiots", "hate", 0.22);
        openai.scoreWhenContains("deserve a beating", "violence", 0.71);
        openai.scoreWhenContains("deserve a beating", "harassment/threatening", 0.34);
        openai.scoreWhenContains("slaughter", "violence", 0.97);
        openai.scoreWhenContains("slaughter", "violence/graphic", 0.58);
        openai.scoreWhenContains("miracle pills", "illicit", 0.68);
        long firstJob = jobs.mark();
        String admin = api.adminToken();
        api.put("/api/moderation/policy", admin, Policies.defaults()).expect(200);
        for (String[] c : new String[][]{{"cooking", "Cooking"}, {"gaming", "Gaming"}, {"town-hall", "Town hall"}}) {
            api.post("/api/categories", admin, map("slug", c[0], "name", c[1], "description", c[1] + " talk"));
        }
        Api.User jonas = user("jonas_w");
        Api.User priya = user("priya_s");
        Api.User lena = user("lena_bakes");
        Api.User kim = user("kim_mod");
        Api.User alex = user("alex_mod");
        api.put("/api/admin/users/kim_mod/role", admin, Map.of("role", "moderator")).expect(200);
        api.put("/api/admin/users/alex_mod/role", admin, Map.of("role", "moderator")).expect(200);

        long appealed = thread(lena, "cooking", "Pig day at the farm",
                "We slaughter two pigs every November and make sausages for the whole village. Recipe inside.");
        thread(jonas, "town-hall", "Bike lanes again", "Honestly the people who voted for this are idiots.");
        thread(priya, "gaming", "Ranked is broken", "Players who leave matches early deserve a beating, seriously.");
        long rejectedByKim = thread(jonas, "gaming", "Trash talk", "You are all idiots if you still play the old meta.");
        thread(priya, "general", "Great deal!!!", "Buy miracle pills without prescription, message me.");
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
            byte[] png = chromium.driver.getScreenshotAs(OutputType.BYTES);
            assertTrue(png.length > 10_000, "a screenshot of a drawn page, not a blank one: " + png.length + " bytes");
            Files.write(Path.of("docs/console-appeal.png"), png);
        }
    }

    private Api.User user(String name) {
        String password = "password-" + name;
        api.post("/api/auth/register", null, map("username", name, "email", name + "@example.com", "password", password));
        return new Api.User(0, name, api.login(name, password));
    }

    private long thread(Api.User author, String slug, String title, String body) {
        return api.post("/api/threads", author.token(), map("category", slug, "title", title, "body", body))
                .expect(201).json().get("firstPost").get("id").getLongValue();
    }
}
