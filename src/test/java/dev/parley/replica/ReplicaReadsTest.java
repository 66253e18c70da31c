package dev.parley.replica;

import dev.parley.common.ReplicaLag;
import dev.parley.common.ReplicaState;
import dev.parley.support.Api;
import dev.parley.support.ApiTest;
import dev.parley.support.ServiceInstance;
import dev.parley.support.SettableClock;
import dev.parley.support.TcpProxy;
import dev.parley.support.Waits;
import io.micronaut.context.annotation.Property;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Public reads on a real streaming standby (README "Read replicas"): a service instance whose
 * {@code datasources.replica} is the test database on the standby that {@code scripts/provision-db.sh}
 * keeps (PARLEY_REPLICA=1), reached through a {@link TcpProxy} the test can cut. Pausing the
 * standby's replay ({@code pg_wal_replay_pause()}) freezes what it serves, which tells replica reads
 * from primary reads: anonymous readers see the frozen state, a member who just wrote sees their write.
 * The lag check is driven by hand ({@link ReplicaLag#check()}, check-interval 1h), its time by a
 * settable clock.
 * <p>
 * {@code PARLEY_TEST_REPLICA_URL} names the standby's test database (scripts/test.sh sets it). Unset,
 * the test fails: a machine without a standby must say so with {@code PARLEY_TEST_REPLICA_URL=none}
 * ({@code PARLEY_REPLICA=0 scripts/test.sh}), and only then does it skip.
 */
@MicronautTest(transactional = false)
@Property(name = "parley.pipeline.workers-enabled", value = "false")
class ReplicaReadsTest extends ApiTest {

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^/:]+)(?::(\\d+))?/([^?]+).*");
    private static final String REPLICA_URL = System.getenv("PARLEY_TEST_REPLICA_URL");

    private static TcpProxy proxy;
    private static ServiceInstance instance;

    private Api service;
    private ReplicaLag lag;

    @BeforeEach
    void startInstance() {
        if ("none".equals(REPLICA_URL)) {
            Assumptions.abort("PARLEY_TEST_REPLICA_URL=none: no standby on this machine");
        }
        assertNotNull(REPLICA_URL, "PARLEY_TEST_REPLICA_URL must name the standby's test database "
                + "(scripts/test.sh provisions one; PARLEY_TEST_REPLICA_URL=none to run without)");
        Matcher url = JDBC_URL.matcher(REPLICA_URL);
        assertTrue(url.matches(), "a plain PostgreSQL JDBC URL: " + REPLICA_URL);
        if (instance == null) {
            proxy = TcpProxy.start(url.group(1), url.group(2) == null ? 5432 : Integer.parseInt(url.group(2)));
            instance = ServiceInstance.start(Map.of(
                    "datasources.replica.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + url.group(3),
                    "datasources.replica.username", environment.getRequiredProperty("datasources.default.username", String.class),
                    "datasources.replica.password", environment.getRequiredProperty("datasources.default.password", String.class),
                    "parley.database.replica.check-interval", "1h",
                    "parley.database.replica.max-lag", "30s",
                    "parley.test.settable-clock", "true",
                    "parley.pipeline.workers-enabled", "true"));
        }
        service = instance.api();
        lag = instance.bean(ReplicaLag.class);
        awaitReplayed();
        assertEquals(ReplicaState.Status.UP, lag.check().status(), "the standby serves reads: " + lag.state());
    }

    @AfterEach
    void resumeReplay() throws SQLException {
        if (REPLICA_URL != null && !"none".equals(REPLICA_URL)) {
            proxy.resume();
            standby("SELECT pg_wal_replay_resume()");
        }
    }

    @AfterAll
    static void stopInstance() {
        if (instance != null) {
            instance.close();
            proxy.close();
            instance = null;
        }
    }

    @Test
    void anonymousReadersSeeTheReplicaAndAMemberSeesTheirOwnReplyAtOnce() throws SQLException {
        String slug = service.category("replica");
        Api.User author = service.register("writer");
        Api.User reader = service.register("reader");
        long threadId = service.thread(author, slug, "Replica thread", "The opening post").get("id").getLongValue();
        awaitReplayed();
        lag.check();

        pauseReplay();
        long replyId = service.reply(author, threadId, "A reply written while the standby is paused").get("id").getLongValue();
        assertEquals("published", db.value("SELECT status FROM posts WHERE id = ?", replyId), "published on the primary");

        assertFalse(postIds(threadId, null).contains(replyId), "anonymous readers get the paused standby's posts");
        assertFalse(postIds(threadId, reader.token()).contains(replyId),
                "a member who wrote nothing since the standby's position reads from it too");
        assertTrue(postIds(threadId, author.token()).contains(replyId), "the author sees their reply at once");
        assertEquals(2, service.get("/api/threads/" + threadId, author.token()).expect(200).json()
                .get("postCount").getIntValue(), "the author's thread page comes from the primary");
        assertEquals(1, service.get("/api/threads/" + threadId, null).expect(200).json()
                .get("postCount").getIntValue(), "the anonymous thread page from the standby");

        // The check measures the lag while the standby is paused, and /health shows it.
        ReplicaState paused = lag.check();
        assertTrue(paused.lagBytes() > 0, "WAL not replayed: " + paused);
        JsonNode health = replicaHealth();
        assertTrue(health.get("lagBytes").getLongValue() > 0, "lag in /health: " + health);
        assertEquals("replica", health.get("publicReads").getStringValue());

        standby("SELECT pg_wal_replay_resume()");
        awaitReplayed();
        lag.check();
        assertTrue(postIds(threadId, null).contains(replyId), "anonymous readers see the reply once replayed");
        assertEquals(0, replicaHealth().get("lagBytes").getLongValue(), "caught up");
    }

    @Test
    void searchAndRelatedThreadsRunOnTheReplica() throws SQLException {
        String slug = service.category("replicasearch");
        Api.User author = service.register("searcher");
        String before = Api.unique("quokkaharbour").toLowerCase();
        String during = Api.unique("wombatfjord").toLowerCase();
        long mark = jobs.mark();
        long first = service.thread(author, slug, "Thread about " + before, "All about " + before)
                .get("id").getLongValue();
        jobs.since(mark, "embed").awaitFinished();
        awaitReplayed();
        lag.check();

        pauseReplay();
        mark = jobs.mark();
        long second = service.thread(author, slug, "Thread about " + during, "All about " + during)
                .get("id").getLongValue();
        jobs.since(mark, "embed").awaitFinished();

        assertEquals(List.of(first), searchThreads(before, null), "found on the standby");
        assertEquals(List.of(), searchThreads(during, null), "the paused standby does not know the new thread");
        assertEquals(List.of(second), searchThreads(during, author.token()), "its author finds it at once");

        standby("SELECT pg_wal_replay_resume()");
        awaitReplayed();
        lag.check();
        assertEquals(List.of(second), searchThreads(during, null), "found once replayed");
        service.get("/api/threads/" + first + "/related", null).expect(200);
    }

    @Test
    void aLostReplicaSendsReadsToThePrimaryWithoutAnErrorAndServesAgainWhenBack() throws SQLException {
        String slug = service.category("replicalost");
        Api.User author = service.register("lost");
        long threadId = service.thread(author, slug, "Lost replica thread", "The opening post").get("id").getLongValue();
        awaitReplayed();
        lag.check();
        pauseReplay();
        long replyId = service.reply(author, threadId, "Written while the standby is paused").get("id").getLongValue();
        assertFalse(postIds(threadId, null).contains(replyId), "the standby serves anonymous reads");

        proxy.cut();
        // The check has not noticed yet: the read is routed to the replica, gets no connection, and the
        // primary answers it.
        assertTrue(postIds(threadId, null).contains(replyId), "the primary answered, without an error");
        assertEquals(ReplicaState.Status.DOWN, lag.check().status());
        assertTrue(postIds(threadId, null).contains(replyId), "reads stay on the primary");
        assertEquals("primary", replicaHealth().get("publicReads").getStringValue());
        assertEquals(200, service.get("/health", null).status(), "a lost replica does not take the instance down");

        proxy.resume();
        standby("SELECT pg_wal_replay_resume()");
        awaitReplayed();
        Waits.until("the replica serving again", () -> lag.check().status() == ReplicaState.Status.UP);
        pauseReplay();
        long later = service.reply(author, threadId, "Written after the replica came back").get("id").getLongValue();
        assertFalse(postIds(threadId, null).contains(later), "anonymous reads are back on the standby");
    }

    @Test
    void aReplicaBehindMoreThanMaxLagServesNoReadsUntilItCatchesUp() throws SQLException {
        String category = Api.unique("lagging").toLowerCase();
        pauseReplay();
        service.post("/api/categories", service.adminToken(),
                Map.of("slug", category, "name", "Category " + category, "description", "Made while paused")).expect(201);
        assertFalse(categorySlugs().contains(category), "the paused standby serves the list");

        assertEquals(ReplicaState.Status.UP, lag.check().status(), "behind, but not for long yet");
        instance.bean(SettableClock.class).advance(Duration.ofMinutes(1));
        ReplicaState behind = lag.check();
        assertEquals(ReplicaState.Status.LAGGING, behind.status(), behind.toString());
        assertTrue(behind.lag().compareTo(Duration.ofMinutes(1)) >= 0, behind.toString());
        assertTrue(categorySlugs().contains(category), "the primary serves reads while the replica lags");
        JsonNode health = replicaHealth();
        assertEquals("lagging", health.get("state").getStringValue());
        assertTrue(health.get("lagSeconds").getDoubleValue() >= 60, health.toString());

        standby("SELECT pg_wal_replay_resume()");
        awaitReplayed();
        ReplicaState caughtUp = lag.check();
        assertEquals(ReplicaState.Status.UP, caughtUp.status(), caughtUp.toString());
        assertEquals(Duration.ZERO, caughtUp.lag());
        String prometheus = service.get("/prometheus", null).expect(200).body();
        assertTrue(prometheus.contains("parley_database_replica_lag_bytes"), "lag in Prometheus");
        assertTrue(prometheus.contains("parley_database_reads_total{target=\"replica\"}"), "routed reads counted");
    }

    private List<Long> postIds(long threadId, String token) {
        List<Long> ids = new ArrayList<>();
        for (JsonNode post : service.get("/api/threads/" + threadId + "/posts?limit=100", token).expect(200).json()
                .get("items").values()) {
            ids.add(post.get("id").getLongValue());
        }
        return ids;
    }

    private List<Long> searchThreads(String word, String token) {
        List<Long> ids = new ArrayList<>();
        for (JsonNode result : service.get("/api/search?mode=keyword&q=" + word, token).expect(200).json()
                .get("results").values()) {
            ids.add(result.get("thread").get("id").getLongValue());
        }
        return ids;
    }

    private List<String> categorySlugs() {
        List<String> slugs = new ArrayList<>();
        for (JsonNode category : service.get("/api/categories", null).expect(200).json().values()) {
            slugs.add(category.get("slug").getStringValue());
        }
        return slugs;
    }

    private JsonNode replicaHealth() {
        JsonNode health = service.get("/health", service.adminToken()).expect(200).json();
        return health.get("details").get("replica").get("details");
    }

    /** Waits until the standby has replayed everything the primary has written so far. */
    private void awaitReplayed() {
        String target = String.valueOf(db.value("SELECT pg_current_wal_lsn()::text"));
        Waits.until("the standby replaying up to " + target,
                () -> "t".equals(standbyValue("SELECT pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn")));
    }

    private void pauseReplay() throws SQLException {
        standby("SELECT pg_wal_replay_pause()");
        Waits.until("replay paused", () -> "paused".equals(standbyValue("SELECT pg_get_wal_replay_pause_state()")));
    }

    private void standby(String sql) throws SQLException {
        try (Connection connection = standbyConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private String standbyValue(String sql) {
        try (Connection connection = standbyConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            Object value = row.getObject(1);
            return value instanceof Boolean b ? (b ? "t" : "f") : String.valueOf(value);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Connection standbyConnection() throws SQLException {
        return DriverManager.getConnection(REPLICA_URL,
                environment.getRequiredProperty("datasources.default.username", String.class),
                environment.getRequiredProperty("datasources.default.password", String.class));
    }
}
