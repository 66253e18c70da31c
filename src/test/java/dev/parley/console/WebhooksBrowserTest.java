package dev.parley.console;

import dev.parley.events.Audience;
import dev.parley.events.DomainEvent;
import dev.parley.events.EventType;
import dev.parley.events.Outbox;
import dev.parley.pipeline.JobHandler;
import dev.parley.pipeline.WorkerPool;
import dev.parley.pipeline.WorkerPools;
import dev.parley.support.Api;
import dev.parley.support.ProcessLevel;
import dev.parley.support.WebhookReceiver;
import dev.parley.webhooks.WebhookFanOut;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's Webhooks view in real headless Chromium: an admin registers a receiver the test runs,
 * is shown its secret once, sees the delivery log (with the receiver's error page shown as text, not
 * markup) and redelivers from it; a moderator has no Webhooks view. The fan-out and the delivery jobs
 * run by hand; assertions count what the receiver got, since a retry left by an earlier test (of an
 * endpoint deleted since) may run too and send nothing.
 */
@ProcessLevel
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhooksBrowserTest extends BrowserTestBase {

    private static final String HOSTILE = "<img src=x onerror=\"window.pwned=1\">";

    @Inject
    WebhookFanOut fanOut;
    @Inject
    WorkerPools pools;
    @Inject
    List<JobHandler<?>> handlers;
    @Inject
    Outbox outbox;
    @Inject
    TransactionOperations<Connection> tx;
    @Inject
    Clock clock;

    WebhookReceiver receiver;
    WorkerPool pool;

    @Override
    protected Map<String, String> properties() {
        return Map.of("micronaut.server.port", "-1", "parley.pipeline.workers-enabled", "false",
                "parley.webhooks.allow-private-targets", "loopback");
    }

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = new WebhookReceiver(clock);
        pool = pools.create("console-webhooks", handlers.stream()
                .filter(h -> h.kind().name().equals("webhook-delivery")).findFirst().orElseThrow());
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
        db.execute("DELETE FROM webhook_endpoints");
    }

    @Test
    void anAdminRegistersAnEndpointReadsItsLogAndRedelivers() {
        page.signInAsStaff(Api.ADMIN, Api.ADMIN_PASSWORD);
        page.go("webhooks");
        page.await(By.id("webhook-url")).sendKeys(receiver.url());
        page.await(By.cssSelector("input[name=webhook-type][value='thread.locked']")).click();
        page.await(By.id("webhook-register")).click();

        String secret = page.await(By.id("webhook-secret-value")).getText();
        assertTrue(secret.startsWith("whsec_"), secret);
        receiver.secret(secret);
        WebElement row = page.await(By.cssSelector("#webhook-table tr[data-webhook]"));
        assertTrue(row.getText().contains(receiver.url()), row.getText());
        assertFalse(row.getText().contains(secret));

        receiver.answer(500);
        receiver.failureBody(HOSTILE);
        tx.executeWrite(status -> {
            outbox.record(new DomainEvent(EventType.THREAD_LOCKED, Audience.PUBLIC, 987654321L, null, null, null));
            return null;
        });
        assertEquals(1, fanOut.run());
        pool.runDue();
        assertEquals(1, receiver.received().size());

        row.findElement(By.cssSelector("button[data-deliveries]")).click();
        WebElement failed = page.await(By.cssSelector("#delivery-table tr[data-delivery] td.webhook-error"));
        assertEquals("HTTP 500: " + HOSTILE, failed.getText(), "the receiver's body is shown as text");
        assertNull(page.js("return window.pwned"));
        assertTrue(page.js("return document.querySelectorAll('#delivery-table img').length").toString().equals("0"));

        // The retry waits for its backoff; an admin need not: the delivery is pending, so no button yet.
        assertTrue(page.driver.findElements(By.cssSelector("#delivery-table button[data-redeliver]")).isEmpty());
    }

    @Test
    void aDeliveredMessageIsRedeliveredFromTheLog() {
        receiver.secret(api.post("/api/admin/webhooks", api.adminToken(),
                Map.of("url", receiver.url(), "eventTypes", List.of("thread.unlocked"))).expect(201).text("secret"));
        tx.executeWrite(status -> {
            outbox.record(new DomainEvent(EventType.THREAD_UNLOCKED, Audience.PUBLIC, 987654321L, null, null, null));
            return null;
        });
        assertEquals(1, fanOut.run());
        pool.runDue();
        assertEquals(1, receiver.accepted().size());

        page.signInAsStaff(Api.ADMIN, Api.ADMIN_PASSWORD);
        page.go("webhooks");
        page.await(By.cssSelector("#webhook-table button[data-deliveries]")).click();
        page.await(By.cssSelector("#delivery-table button[data-redeliver]")).click();
        page.awaitToast("queued for delivery again");
        page.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#delivery-table button[data-redeliver]")));
        pool.runDue();
        List<WebhookReceiver.Received> got = receiver.accepted();
        assertEquals(2, got.size());
        assertEquals(got.get(0).id(), got.get(1).id());
    }

    @Test
    void aModeratorHasNoWebhooksView() {
        Api.User moderator = api.withRole("hookconsolemod", "moderator");
        String password = "password-" + moderator.username();
        page.signInAsStaff(moderator.username(), password);
        assertFalse(page.driver.findElement(By.id("nav-webhooks")).isDisplayed());
    }
}
