package dev.parley.console;

import dev.parley.support.FakeOpenAiApiTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebDriver;

import java.util.Map;

/**
 * Base of the console's tests in real headless Chromium, against the service on a random port with
 * OpenAI's moderation and embeddings played by the fake: one browser for the whole class, whose
 * state is saved when a test fails, and before each test the documented default policy and a
 * signed-out console. A subclass scripts the fake's scores, makes its own users and categories, and
 * waits for the jobs it caused (those after {@link #firstJob}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ScreenshotOnFailure.class)
abstract class BrowserTestBase extends FakeOpenAiApiTest implements ScreenshotOnFailure.Browser {

    protected Chromium chromium;
    protected ConsolePage page;
    /** The newest job before the test began: the jobs after it are the test's own. */
    protected long firstJob;

    @Override
    protected Map<String, String> properties() {
        return Map.of("micronaut.server.port", "-1");
    }

    @Override
    public WebDriver browser() {
        return chromium == null ? null : chromium.driver;
    }

    @BeforeAll
    void startBrowser() {
        chromium = Chromium.start();
    }

    /** Runs before the fake is stopped (a superclass's {@code @AfterAll} runs after its subclass's). */
    @AfterAll
    void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void openConsoleUnderTheDefaultPolicy() {
        firstJob = jobs.mark();
        api.put("/api/moderation/policy", api.adminToken(), Policies.defaults()).expect(200);
        page = new ConsolePage(chromium.driver, server.getURI()).openSignedOut();
    }
}
