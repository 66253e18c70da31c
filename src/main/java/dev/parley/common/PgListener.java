package dev.parley.common;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * LISTENs on one channel over a dedicated connection of its own (LISTEN needs a session, which a
 * pooled or transaction-mode connection is not) and runs a callback whenever notifications arrive,
 * and once on every (re)connect, since what committed while it was not listening was not notified.
 * If the connection drops it reconnects with backoff; callers keep polling meanwhile, so
 * notifications only make them faster, never correct. The connection has the pool's timeouts, and a
 * LISTEN session otherwise only reads: it sends a {@code SELECT 1} every {@link #KEEPALIVE}, so a
 * silently dead network (nothing sent, nothing ever received) is noticed within that plus the network
 * timeout instead of never.
 */
public final class PgListener {

    static final Duration KEEPALIVE = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(PgListener.class);
    private static final int RECEIVE_TIMEOUT_MILLIS = 1000;
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);
    // LISTEN takes an identifier, not a parameter; only fixed, plain names are ever listened to.
    private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private final DatabaseConnections connections;
    private final String channel;
    private final String threadName;
    private volatile boolean running;
    private volatile boolean connected;
    private Thread thread;

    public PgListener(DatabaseConnections connections, String channel, String threadName) {
        if (!CHANNEL_NAME.matcher(channel).matches()) {
            throw new IllegalArgumentException("not a plain channel name: " + channel);
        }
        this.connections = connections;
        this.channel = channel;
        this.threadName = threadName;
    }

    public synchronized void start(Runnable onNotification) {
        running = true;
        thread = new Thread(() -> listen(onNotification), threadName);
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Whether notifications are being received (otherwise the caller is only polling). */
    public boolean isConnected() {
        return connected;
    }

    private void listen(Runnable onNotification) {
        Duration pause = Duration.ofSeconds(1);
        while (running) {
            try (Connection connection = connections.open("default")) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + channel);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                pause = Duration.ofSeconds(1);
                connected = true;
                onNotification.run();
                receive(connection, pg, onNotification);
            } catch (SQLException e) {
                connected = false;
                if (!running) {
                    return;
                }
                LOG.warn("Notifications on {} unavailable ({}); polling until reconnected in {} s", channel,
                        e.getMessage(), pause.toSeconds());
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
        connected = false;
    }

    private void receive(Connection connection, PGConnection pg, Runnable onNotification) throws SQLException {
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
    }
}
