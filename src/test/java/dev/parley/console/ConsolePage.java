package dev.parley.console;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/** The console as a moderator uses it, for the browser tests: what to click, type and wait for. */
final class ConsolePage {

    /** Generous: the machine is shared and slow; a wait that succeeds returns at once. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    final WebDriver driver;
    private final URI base;

    ConsolePage(WebDriver driver, URI base) {
        this.driver = driver;
        this.base = base;
    }

    /** The login form of a fresh session: whatever token an earlier test left is gone. */
    ConsolePage openSignedOut() {
        driver.get(base.resolve("/console").toString());
        js("sessionStorage.clear()");
        driver.navigate().refresh();
        await(By.id("login-form"));
        return this;
    }

    void signIn(String username, String password) {
        WebElement name = await(By.id("login-username"));
        name.clear();
        name.sendKeys(username);
        WebElement secret = driver.findElement(By.id("login-password"));
        secret.clear();
        secret.sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
    }

    /** Signs in and waits for the queue. */
    void signInAsStaff(String username, String password) {
        signIn(username, password);
        await(By.cssSelector("#nav a[data-view=queue][aria-current=page]"));
        awaitQueueLoaded();
    }

    void go(String view) {
        driver.findElement(By.cssSelector("#nav a[data-view=" + view + "]")).click();
        await(By.cssSelector("#nav a[data-view=" + view + "][aria-current=page]"));
    }

    /** Shows only the review items of one forum category, so that other tests' items stay out of the way. */
    void filterCategory(String slug) {
        new Select(await(By.id("filter-category"))).selectByValue(slug);
        awaitQueueLoaded();
    }

    void awaitQueueLoaded() {
        until(d -> "false".equals(d.findElement(By.id("queue-items")).getAttribute("data-loading")));
    }

    WebElement item(long postId) {
        return await(By.cssSelector("#queue-items .queue-item[data-post-id='" + postId + "']"));
    }

    List<WebElement> items() {
        return driver.findElements(By.cssSelector("#queue-items .queue-item"));
    }

    void awaitItemGone(long postId) {
        until(ExpectedConditions.invisibilityOfElementLocated(
                By.cssSelector("#queue-items .queue-item[data-post-id='" + postId + "']")));
    }

    void awaitDetailOf(long postId) {
        until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#queue-detail article.detail[data-post-id='" + postId + "']")));
    }

    /** Types keys as the page receives them when no input has the focus. */
    void press(String keys) {
        js("if (document.activeElement) document.activeElement.blur()");
        new Actions(driver).sendKeys(keys).perform();
    }

    String toast() {
        return until(ExpectedConditions.visibilityOfElementLocated(By.id("toast"))).getText();
    }

    void awaitToast(String text) {
        until(ExpectedConditions.textToBePresentInElementLocated(By.id("toast"), text));
    }

    WebElement await(By by) {
        return until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    <T> T until(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, PATIENCE, Duration.ofMillis(50)).until(condition);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }
}
