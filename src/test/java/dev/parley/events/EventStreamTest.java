package dev.parley.events;

import dev.parley.support.Api;
import dev.parley.support.Api.User;
import dev.parley.support.ApiTest;
import dev.parley.support.ServiceInstance;
import dev.parley.support.SseStream;
import dev.parley.support.SseStream.Message;
import dev.parley.support.Waits;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server-sent event streams over real HTTP, fed from the outbox in PostgreSQL. */
@MicronautTest(transactional = false)
class EventStreamTest extends ApiTest {

    @Test
    void aSubscriberOnOneInstanceReceivesThePostsWrittenThroughAnotherInOrderAndOnce() throws Exception {
        User moderator = api.withRole("ssemod", "moderator");
        // The second instance serves HTTP only; this one's workers moderate what it receives.
        try (ServiceInstance other = ServiceInstance.start(Map.of("parley.pipeline.workers-enabled", false))) {
            Api there = other.api();
            User author = there.register("sseauthor");
            long threadId = there.thread(author, "general", "Live thread", "The first post").get("id").getLongValue();
            try (SseStream thread = open("/api/threads/" + threadId + "/events", null, null);
                 SseStream staff = open("/api/moderation/events", moderator.token(), null)) {
                // Twelve replies from four writers at once: their transactions overlap and commit in any order.
                ExecutorService writers = Executors.newFixedThreadPool(4);
                List<Future<Long>> written = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    String body = "Reply number " + i;
                    written.add(writers.submit(() -> there.post("/api/threads/" + threadId + "/posts", author.token(),
                            Map.of("body", body)).expect(201).id()));
                }
                Set<Long> replies = new HashSet<>();
                for (Future<Long> id : written) {
                    replies.add(id.get());
                }
                writers.shutdown();
                long marker = there.post("/api/threads/" + threadId + "/posts", author.token(),
                        Map.of("body", "The last one")).expect(201).id();

                // Posts are moderated in batches by more than one worker, so publication need not follow
                // the order of writing: read until every one of them is published.
                Set<Long> all = new HashSet<>(replies);
                all.add(marker);
                List<Message> events = thread.eventsUntil(publishedAll(all));
                assertIncreasingIds(events);
                List<Long> published = events.stream().filter(e -> e.event().equals("post.published"))
                        .map(e -> postId(e)).toList();
                assertEquals(published.size(), new HashSet<>(published).size(), "each post published once: " + published);
                assertEquals(replies, published.stream().filter(replies::contains).collect(Collectors.toSet()));
                assertEquals(13, published.size(), "the twelve replies and the marker, nothing else");

                List<Message> staffEvents = staff.eventsUntil(publishedAll(all));
                assertIncreasingIds(staffEvents);
                for (long reply : replies) {
                    int created = indexOf(staffEvents, "post.created", reply);
                    int decided = indexOf(staffEvents, "decision.made", reply);
                    int shown = indexOf(staffEvents, "post.published", reply);
                    assertTrue(created >= 0 && created < decided && decided < shown,
                            "post " + reply + ": created, decided, published in that order");
                }
            }
        }
    }

    @Test
    void resumingWithLastEventIdAfterADisconnectLosesNothingAndRepeatsNothing() {
        User author = api.register("resume");
        long threadId = api.thread(author, "general", "Resumed", "first").get("id").getLongValue();
        long lastSeen;
        try (SseStream stream = open("/api/threads/" + threadId + "/events", null, null)) {
            long first = api.reply(author, threadId, "one").get("id").getLongValue();
            Message event = stream.nextEvent();
            assertTrue(isEvent(event, "post.published", first), event.toString());
            lastSeen = event.eventId();
        }
        long second = api.reply(author, threadId, "two, while disconnected").get("id").getLongValue();
        long third = api.reply(author, threadId, "three, while disconnected").get("id").getLongValue();
        try (SseStream stream = open("/api/threads/" + threadId + "/events", null, lastSeen)) {
            long fourth = api.reply(author, threadId, "four, after resuming").get("id").getLongValue();
            List<Message> events = stream.eventsUntil(e -> isEvent(e, "post.published", fourth));
            assertEquals(List.of(second, third, fourth), events.stream().map(EventStreamTest::postId).toList());
            assertIncreasingIds(events);
            assertTrue(events.get(0).eventId() > lastSeen);
        }
    }

    @Test
    void aFlaggedPostNeverAppearsOnThePublicStreamAndAnEditAppearsOncePublishedAgain() {
        String word = Api.unique("zorblax");
        api.put("/api/moderation/rules", api.adminToken(), Map.of("rules", List.of(
                Map.of("pattern", word, "kind", "word", "category", "illicit", "score", 0.7)))).expect(200);
        User author = api.register("flagsse");
        User moderator = api.withRole("flagssemod", "moderator");
        long threadId = api.thread(author, "general", "Flags", "first").get("id").getLongValue();
        long hiddenThread = api.post("/api/threads", author.token(), Map.of("category", "general", "title", "Hidden",
                "body", "all about " + word)).expect(201).id();
        api.awaitModerated(api.get("/api/threads/" + hiddenThread, author.token()).json().get("firstPost").get("id")
                .getLongValue(), author.token(), "flagged");
        assertEquals(404, SseStream.refused(server.getURI(), "/api/threads/" + hiddenThread + "/events", null, null)
                .statusCode(), "the stream of a thread whose first post is held back");
        try (SseStream thread = open("/api/threads/" + threadId + "/events", null, null);
             SseStream staff = open("/api/moderation/events", moderator.token(), null)) {
            long flagged = api.post("/api/threads/" + threadId + "/posts", author.token(),
                    Map.of("body", "buy " + word + " here")).expect(201).id();
            api.awaitModerated(flagged, author.token(), "flagged");
            long clean = api.reply(author, threadId, "a clean reply").get("id").getLongValue();

            List<Message> publicEvents = thread.eventsUntil(e -> isEvent(e, "post.published", clean));
            assertEquals(List.of("post.published:" + clean), describe(publicEvents),
                    "the flagged post, decided before the clean one was written, left no public event");

            List<Message> staffEvents = staff.eventsUntil(e -> isEvent(e, "post.published", clean));
            int decision = indexOf(staffEvents, "decision.made", flagged);
            assertTrue(decision >= 0, "staff see the decision");
            assertTrue(staffEvents.get(decision).data().contains("\"detail\":\"flagged\""), staffEvents.get(decision).data());
            assertTrue(indexOf(staffEvents, "queue.opened", flagged) >= 0, "staff see the review item opened");

            // An edit hides the post at once; the public hears of the new text only when it is published.
            api.patch("/api/posts/" + clean, author.token(), Map.of("body", "now with " + word)).expect(200);
            api.awaitModerated(clean, author.token(), "flagged");
            api.patch("/api/posts/" + clean, author.token(), Map.of("body", "clean again")).expect(200);
            api.awaitModerated(clean, author.token(), "published");
            List<Message> afterEdits = thread.eventsUntil(e -> e.event().equals("post.published"));
            assertEquals(List.of("post.hidden:" + clean, "post.published:" + clean), describe(afterEdits));
            assertTrue(afterEdits.get(1).data().contains("\"detail\":\"3\""), "the third version: " + afterEdits.get(1));

            // The flag of the second version went to the queue; the clean third closed it for the moderators.
            List<Message> staffAfterEdits = staff.eventsUntil(e -> isEvent(e, "queue.resolved", clean));
            int opened = indexOf(staffAfterEdits, "queue.opened", clean);
            assertTrue(opened >= 0, "staff see the edit's review item opened");
            Message closed = staffAfterEdits.get(staffAfterEdits.size() - 1);
            assertTrue(closed.data().contains("\"detail\":\"superseded\""), closed.data());
        } finally {
            api.put("/api/moderation/rules", api.adminToken(), Map.of("rules", List.of())).expect(200);
        }
    }

    @Test
    void theModerationStreamIsForModeratorsOnly() {
        HttpResponse<String> anonymous = SseStream.refused(server.getURI(), "/api/moderation/events", null, null);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        User member = api.register("ssemember");
        HttpResponse<String> forbidden = SseStream.refused(server.getURI(), "/api/moderation/events", member.token(),
                null);
        assertEquals(403, forbidden.statusCode(), forbidden.body());
        assertTrue(forbidden.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));

        User moderator = api.withRole("sseonly", "moderator");
        open("/api/moderation/events", moderator.token(), null).close();
        User admin = api.withRole("sseadmin", "admin");
        open("/api/moderation/events", admin.token(), null).close();
    }

    @Test
    void anUnknownThreadIs404AndALastEventIdThatIsNoIdIs400() {
        assertEquals(404, SseStream.refused(server.getURI(), "/api/threads/987654321/events", null, null).statusCode());
        User author = api.register("badid");
        long threadId = api.thread(author, "general", "Bad ids", "first").get("id").getLongValue();
        HttpResponse<String> bad = SseStream.refused(server.getURI(), "/api/threads/" + threadId + "/events", null,
                "yesterday");
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    }

    @Test
    void aSlowSubscriberHasItsStreamEndedInsteadOfGrowingTheHeapAndResumesWithoutLoss() throws Exception {
        User author = api.register("slow");
        long threadId = api.thread(author, "general", "Slow reader", "first").get("id").getLongValue();
        try (ServiceInstance small = ServiceInstance.start(Map.of("parley.pipeline.workers-enabled", false,
                "parley.events.stream-buffer", 32, "parley.events.max-streams", 1))) {
            EventStreams streams = small.bean(EventStreams.class);
            String path = "/api/threads/" + threadId + "/events";
            List<Message> before = new ArrayList<>();
            try (Socket socket = new Socket()) {
                // A client that reads nothing: a small receive window, and no reads until the stream ended.
                socket.setReceiveBufferSize(1024);
                socket.connect(new InetSocketAddress("127.0.0.1", small.server().getPort()));
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                Waits.until("the slow stream registered", () -> streams.openStreams() == 1);

                // The cap: a second stream is refused while the first is open, and the gauge shows it.
                HttpResponse<String> full = SseStream.refused(small.server().getURI(), path, null, null);
                assertEquals(503, full.statusCode(), full.body());
                assertTrue(full.headers().firstValue("Retry-After").isPresent());
                assertTrue(small.api().get("/prometheus", null).expect(200).body()
                        .contains("parley_event_streams_open 1.0"), "the gauge of open streams");

                int written = 40_000;
                db.execute("""
                        INSERT INTO outbox_events (type, audience, thread_id, post_id, detail, occurred_at)
                        SELECT 'post.published', 'public', ?, g, repeat('x', 300), now()
                          FROM generate_series(1, ?) g""", threadId, written);
                Waits.until("the stream of the client that stopped reading ended", () -> streams.openStreams() == 0);

                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                skipHeaders(reader);
                SseStream.parse(reader, message -> {
                    if (message.comment() == null) {
                        before.add(message);
                    }
                });
                assertTrue(before.size() < written, "the stream ended early: " + before.size() + " events");
            }
            List<Long> all = db.column("SELECT id FROM outbox_events WHERE thread_id = ? AND detail = repeat('x', 300)"
                    + " ORDER BY id", threadId).stream()
                    .map(v -> ((Number) v).longValue()).toList();
            long resumeAfter = before.isEmpty() ? all.get(0) - 1 : before.get(before.size() - 1).eventId();
            try (SseStream resumed = SseStream.open(small.server().getURI(), path, null, resumeAfter)) {
                long lastId = all.get(all.size() - 1);
                List<Message> after = resumed.eventsUntil(e -> e.eventId() == lastId);
                List<Long> received = new ArrayList<>(before.stream().map(Message::eventId).toList());
                received.addAll(after.stream().map(Message::eventId).toList());
                // Compared as text with the first difference, so that a failure does not print 80,000 ids.
                int differs = 0;
                while (differs < Math.min(all.size(), received.size()) && all.get(differs).equals(received.get(differs))) {
                    differs++;
                }
                assertEquals(all.size(), differs, "everything, in order, once, before the overflow and after resuming;"
                        + " received " + received.size() + " of " + all.size() + ", first difference at " + differs
                        + " (" + before.size() + " before the overflow)");
                assertEquals(all.size(), received.size());
            }
        }
    }

    @Test
    void idsFollowCommitOrderNotInsertOrder() throws Exception {
        try (var first = db.connect(); var second = db.connect()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            insertEvent(first, "first inserted");
            insertEvent(second, "second inserted");
            second.commit();
            long afterSecond = ((Number) db.value("SELECT id FROM outbox_events WHERE detail = 'second inserted'"))
                    .longValue();
            first.commit();
            long afterFirst = ((Number) db.value("SELECT id FROM outbox_events WHERE detail = 'first inserted'"))
                    .longValue();
            assertTrue(afterFirst > afterSecond,
                    "the row inserted first but committed last comes after: a reader at " + afterSecond + " misses nothing");
        }
        db.execute("DELETE FROM outbox_events WHERE detail IN ('first inserted', 'second inserted')");
    }

    @jakarta.inject.Inject
    OutboxPurge purge;
    @jakarta.inject.Inject
    OutboxReader reader;

    @Test
    void eventsOlderThanTheRetentionArePurgedAndTheReaderFiltersByType() {
        long before = reader.lastId();
        db.execute("""
                INSERT INTO outbox_events (type, audience, detail, occurred_at) VALUES
                ('queue.opened', 'staff', 'purge-old', now() - interval '8 days'),
                ('appeal.filed', 'staff', 'purge-new', now() - interval '6 days')""");
        List<OutboxEvent> appeals = reader.after(before, Set.of(EventType.APPEAL_FILED), 10);
        assertEquals(List.of("purge-new"), appeals.stream().map(OutboxEvent::detail).toList());
        assertTrue(purge.purge() >= 1);
        assertEquals(0L, ((Number) db.value("SELECT count(*) FROM outbox_events WHERE detail = 'purge-old'")).longValue());
        assertEquals(1L, ((Number) db.value("SELECT count(*) FROM outbox_events WHERE detail = 'purge-new'")).longValue());
    }

    private static void insertEvent(java.sql.Connection connection, String detail) throws java.sql.SQLException {
        try (var statement = connection.prepareStatement("INSERT INTO outbox_events (type, audience, detail, occurred_at)"
                + " VALUES ('queue.opened', 'staff', ?, now())")) {
            statement.setString(1, detail);
            statement.executeUpdate();
        }
    }

    private SseStream open(String path, String token, Long lastEventId) {
        return SseStream.open(server.getURI(), path, token, lastEventId);
    }

    private static void skipHeaders(BufferedReader reader) {
        try {
            String line;
            while ((line = reader.readLine()) != null && !line.isEmpty()) {
                assertFalse(line.startsWith("HTTP/1.1 5"), line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A condition that holds at the event that leaves none of {@code posts} unpublished. */
    private static Predicate<Message> publishedAll(Set<Long> posts) {
        Set<Long> waiting = new HashSet<>(posts);
        return e -> {
            if (e.event().equals("post.published")) {
                waiting.remove(postId(e));
            }
            return waiting.isEmpty();
        };
    }

    private static boolean isEvent(Message message, String type, long postId) {
        return message.event().equals(type) && postId(message) == postId;
    }

    private static long postId(Message message) {
        String marker = "\"postId\":";
        int at = message.data().indexOf(marker);
        if (at < 0) {
            return -1;
        }
        int end = at + marker.length();
        while (end < message.data().length() && Character.isDigit(message.data().charAt(end))) {
            end++;
        }
        if (end == at + marker.length()) {
            return -1;
        }
        return Long.parseLong(message.data().substring(at + marker.length(), end));
    }

    private static int indexOf(List<Message> events, String type, long postId) {
        for (int i = 0; i < events.size(); i++) {
            if (isEvent(events.get(i), type, postId)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> describe(List<Message> events) {
        return events.stream().map(e -> e.event() + ":" + postId(e)).toList();
    }

    private static void assertIncreasingIds(List<Message> events) {
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i).eventId() > events.get(i - 1).eventId(), "ids increase: " + events);
        }
    }
}
