package dev.parley.pipeline;

import dev.parley.common.DatabaseConnections;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * LISTENs on the job channel over a dedicated connection (not one of the pool's) and wakes the
 * dispatcher whenever a job is committed anywhere. If the connection drops it reconnects with
 * backoff; meanwhile the dispatcher's polling keeps work moving. The connection has the pool's
 * timeouts, and a LISTEN session otherwise only reads: it sends a {@code SELECT 1} every
 * {@link #KEEPALIVE}, so a silently dead network (nothing sent, nothing ever received) is noticed
 * within that plus the network timeout instead of never.
 */
final class JobListener {

    private static final Logger LOG = LoggerFactory.getLogger(JobListener.class);
    private static final int RECEIVE_TIMEOUT_MILLIS = 1000;
    static final Duration KEEPALIVE = Duration.ofSeconds(10);

    private final DatabaseConnections connections;
    private volatile boolean running;
    private volatile boolean connected;
    private Thread thread;

    JobListener(DatabaseConnections connections) {
        this.connections = connections;
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
            try (Connection connection = connections.open("default")) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + JobStore.CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                pause = Duration.ofSeconds(1);
                connected = true;
                long lastSent = System.nanoTime();
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(RECEIVE_TIMEOUT_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        onNotification.run();
                    }
                    if (System.nanoTime() - lastSent > KEEPALIVE.toNanos()) {
                        try (Statement keepalive = connection.createStatement()) {
                            keepalive.execute("SELECT 1");
                        }
                        lastSent = System.nanoTime();
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
