package dev.parley.console;

import dev.parley.support.Api;
import dev.parley.support.FakeOpenAi;
import org.openqa.selenium.OutputType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forum that the docs' console screenshots show, seeded through the API: the default policy,
 * three categories beside General, people who sign in with {@code password-<name>}, their threads,
 * and the fake's scores for the phrases that get the usual posts held. Each screenshot class adds
 * its own phrases, people and threads.
 */
final class ScreenshotForum {

    private final Api api;
    private final String admin;

    private ScreenshotForum(Api api) {
        this.api = api;
        this.admin = api.adminToken();
    }

    /** Scores the shared phrases on {@code openai}, puts the default policy in force and adds the categories. */
    static ScreenshotForum open(Api api, FakeOpenAi openai) {
        openai.scoreWhenContains("idiots", "harassment", 0.64);
        openai.scoreWhenContains("idiots", "hate", 0.22);
        openai.scoreWhenContains("deserve a beating", "violence", 0.71);
        openai.scoreWhenContains("deserve a beating", "harassment/threatening", 0.34);
        openai.scoreWhenContains("miracle pills", "illicit", 0.68);
        ScreenshotForum forum = new ScreenshotForum(api);
        api.put("/api/moderation/policy", forum.admin, Policies.defaults()).expect(200);
        for (String[] c : new String[][]{{"cooking", "Cooking"}, {"gaming", "Gaming"}, {"town-hall", "Town hall"}}) {
            api.post("/api/categories", forum.admin, map("slug", c[0], "name", c[1], "description", c[1] + " talk"));
        }
        return forum;
    }

    /** The admin's token. */
    String admin() {
        return admin;
    }

    /** A member named {@code name} exactly (the screenshot shows it), signed in. */
    Api.User user(String name) {
        String password = "password-" + name;
        api.post("/api/auth/register", null, map("username", name, "email", name + "@example.com", "password", password));
        return new Api.User(0, name, api.login(name, password));
    }

    /** A member named {@code name} made a moderator. */
    Api.User moderator(String name) {
        Api.User user = user(name);
        api.put("/api/admin/users/" + name + "/role", admin, map("role", "moderator")).expect(200);
        return user;
    }

    /** A new thread's first post. */
    long thread(Api.User author, String slug, String title, String body) {
        return api.post("/api/threads", author.token(), map("category", slug, "title", title, "body", body))
                .expect(201).json().get("firstPost").get("id").getLongValue();
    }

    /** Writes what the browser shows to {@code file}, once it is sure that is a drawn page. */
    static void save(Chromium chromium, String file) throws IOException {
        byte[] png = chromium.driver.getScreenshotAs(OutputType.BYTES);
        assertTrue(png.length > 10_000, "a screenshot of a drawn page, not a blank one: " + png.length + " bytes");
        Files.write(Path.of(file), png);
    }
}
