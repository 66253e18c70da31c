package dev.parley.console;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Saves what the browser showed when a test failed: a screenshot and the page's DOM, under
 * {@code target/console-failures/<class>.<test>.png|html}. The test class exposes its browser by
 * implementing {@link Browser}.
 */
final class ScreenshotOnFailure implements TestWatcher {

    static final Path DIRECTORY = Path.of("target", "console-failures");

    /** A test class with a browser to photograph. */
    interface Browser {
        WebDriver browser();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (!(context.getTestInstance().orElse(null) instanceof Browser test) || test.browser() == null) {
            return;
        }
        String name = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
        try {
            Files.createDirectories(DIRECTORY);
            WebDriver driver = test.browser();
            Files.write(DIRECTORY.resolve(name + ".png"), ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));
            Files.writeString(DIRECTORY.resolve(name + ".html"), driver.getPageSource(), StandardCharsets.UTF_8);
            System.err.println("Browser state at the failure of " + name + " saved in " + DIRECTORY.toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            System.err.println("Could not save the browser state of " + name + ": " + e);
        }
    }
}
