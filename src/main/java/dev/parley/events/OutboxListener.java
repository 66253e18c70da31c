package dev.parley.events;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * LISTENs on the outbox's channel over one dedicated connection per instance (not one of the pool's,
 * and not one per stream: LISTEN needs a session of its own, which a pooled or transaction-mode
 * connection is not) and wakes the stream dispatcher whenever events commit on any instance. If the
 * connection drops it reconnects with backoff; meanwhile the dispatcher's polling keeps streams going.
 */
final class OutboxListener {

    static final String CHANNEL = "parley_events";
    private static final Logger LOG = LoggerFactory.getLogger(OutboxListener.class);
    private static final int RECEIVE_TIMEOUT_MILLIS = 1000;

    private final String url;
    private final String username;
    private final String password;
    private volatile boolean running;
    private Thread thread;

    OutboxListener(String url, String username, String password) {
        this.url = url;
        this.username = username;
        this.password = password;
    }

    synchronized void start(Runnable onNotification) {
        running = true;
        thread = new Thread(() -> listen(onNotification), "parley-events-listener");
        thread.setDaemon(true);
        thread.start();
    }

    synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void listen(Runnable onNotification) {
        Duration pause = Duration.ofSeconds(1);
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, username, password)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                pause = Duration.ofSeconds(1);
                // Events committed while (re)connecting were not notified to this session.
                onNotification.run();
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(RECEIVE_TIMEOUT_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        onNotification.run();
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                LOG.warn("Event notifications unavailable ({}); polling until reconnected in {} s", e.getMessage(),
                        pause.toSeconds());
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
                pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30)
                        : pause.multipliedBy(2);
            }
        }
    }
}
