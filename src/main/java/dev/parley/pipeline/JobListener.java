package dev.parley.pipeline;

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
 * LISTENs on the job channel over a dedicated connection (not one of the pool's) and wakes the
 * dispatcher whenever a job is committed anywhere. If the connection drops it reconnects with
 * backoff; meanwhile the dispatcher's polling keeps work moving.
 */
final class JobListener {

    private static final Logger LOG = LoggerFactory.getLogger(JobListener.class);
    private static final int RECEIVE_TIMEOUT_MILLIS = 1000;

    private final String url;
    private final String username;
    private final String password;
    private volatile boolean running;
    private volatile boolean connected;
    private Thread thread;

    JobListener(String url, String username, String password) {
        this.url = url;
        this.username = username;
        this.password = password;
    }

    synchronized void start(Runnable onNotification) {
        running = true;
        thread = new Thread(() -> listen(onNotification), "parley-jobs-listener");
        thread.setDaemon(true);
        thread.start();
    }

    boolean isConnected() {
        return connected;
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
                    statement.execute("LISTEN " + JobStore.CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                pause = Duration.ofSeconds(1);
                connected = true;
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(RECEIVE_TIMEOUT_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        onNotification.run();
                    }
                }
            } catch (SQLException e) {
                connected = false;
                if (!running) {
                    return;
                }
                LOG.warn("Job notifications unavailable ({}); polling until reconnected in {} s", e.getMessage(),
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
