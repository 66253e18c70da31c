package dev.parley.common;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one LISTEN loop of the service (job dispatch and event streams): wakes, reconnects, wakes again. */
@MicronautTest(transactional = false)
class PgListenerTest {

    private static final String CHANNEL = "parley_listener_test";

    @Inject
    DatabaseConnections connections;

    @Test
    void wakesOnConnectOnEveryNotificationAndAgainAfterItsSessionIsKilled() throws Exception {
        Semaphore wakes = new Semaphore(0);
        PgListener listener = new PgListener(connections, CHANNEL, "listener-test");
        listener.start(wakes::release);
        try {
            assertTrue(wakes.tryAcquire(10, TimeUnit.SECONDS), "no wake on connect");
            assertTrue(listener.isConnected());

            execute("NOTIFY " + CHANNEL);
            assertTrue(wakes.tryAcquire(10, TimeUnit.SECONDS), "no wake on a notification");

            // What commits while the session is gone is not notified; the reconnect wakes the caller for it.
            assertEquals(1, terminateListeningSession());
            assertTrue(wakes.tryAcquire(15, TimeUnit.SECONDS), "no wake after reconnecting");
            assertTrue(listener.isConnected());
            execute("NOTIFY " + CHANNEL);
            assertTrue(wakes.tryAcquire(10, TimeUnit.SECONDS), "no wake on a notification after reconnecting");
        } finally {
            listener.stop();
        }
    }

    @Test
    void listensOnlyToPlainChannelNames() {
        assertThrows(IllegalArgumentException.class,
                () -> new PgListener(connections, "jobs; DROP TABLE posts", "listener-test"));
        assertThrows(IllegalArgumentException.class, () -> new PgListener(connections, "\"Quoted\"", "listener-test"));
        assertFalse(new PgListener(connections, CHANNEL, "listener-test").isConnected());
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = connections.open("default"); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private int terminateListeningSession() throws SQLException {
        try (Connection connection = connections.open("default"); Statement statement = connection.createStatement();
             ResultSet terminated = statement.executeQuery(
                     "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                             + " WHERE query = 'LISTEN " + CHANNEL + "' AND pid <> pg_backend_pid()")) {
            terminated.next();
            return terminated.getInt(1);
        }
    }
}
