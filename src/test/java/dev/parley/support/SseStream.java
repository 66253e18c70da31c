package dev.parley.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A server-sent events client for tests, parsing the stream as a browser's EventSource does: each
 * event (its {@code id}, {@code event} and {@code data} lines up to a blank line) and each comment
 * arrive on a queue, read by a thread of their own. Opening waits for the server's first comment
 * ({@code : connected}), after which the stream is registered and misses nothing committed later.
 */
public final class SseStream implements AutoCloseable {

    /** One dispatched event; {@code comment} is set instead for a comment line. */
    public record Message(String id, String event, String data, String comment) {
        public long eventId() {
            return Long.parseLong(id);
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Message END = new Message(null, null, null, "<end of stream>");

    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final InputStream body;
    private volatile boolean ended;

    private SseStream(InputStream body) {
        this.body = body;
        Thread reader = new Thread(this::read, "test-sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code base + path}, asserting 200 {@code text/event-stream}, and waits until it is connected. */
    public static SseStream open(URI base, String path, String token, Long lastEventId) {
        HttpResponse<InputStream> response = request(base, path, token, lastEventId);
        assertEquals(200, response.statusCode(), "status of " + path);
        assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse("")
                .split(";")[0], "content type of " + path);
        SseStream stream = new SseStream(response.body());
        Message first = stream.next(Waits.PATIENCE);
        assertEquals("connected", first.comment(), "the stream's first line");
        return stream;
    }

    /** The raw response, for refusals: status and problem body. */
    public static HttpResponse<String> refused(URI base, String path, String token, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<InputStream> request(URI base, String path, String token, Long lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", Long.toString(lastEventId));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next event or comment; fails after {@code patience}. */
    public Message next(Duration patience) {
        try {
            Message message = messages.poll(patience.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("no server-sent event within " + patience.toSeconds() + " s");
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for a server-sent event", e);
        }
    }

    /** The next event (comments skipped). */
    public Message nextEvent() {
        while (true) {
            Message message = next(Waits.PATIENCE);
            if (message == END) {
                throw new AssertionError("the stream ended");
            }
            if (message.comment() == null) {
                return message;
            }
        }
    }

    /** Events up to and including the first that {@code last} accepts. */
    public List<Message> eventsUntil(Predicate<Message> last) {
        List<Message> events = new ArrayList<>();
        while (true) {
            Message event = nextEvent();
            events.add(event);
            if (last.test(event)) {
                return events;
            }
        }
    }

    /** Every event until the server ends the stream. */
    public List<Message> eventsUntilEnd() {
        List<Message> events = new ArrayList<>();
        while (true) {
            Message message = next(Waits.PATIENCE);
            if (message == END) {
                return events;
            }
            if (message.comment() == null) {
                events.add(message);
            }
        }
    }

    public boolean ended() {
        return ended;
    }

    /** Parses one stream from raw lines; also used on a socket's bytes. */
    public static void parse(BufferedReader lines, java.util.function.Consumer<Message> sink) throws IOException {
        String id = null;
        String event = null;
        StringBuilder data = null;
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    sink.accept(new Message(id, event == null ? "message" : event, data.toString(), null));
                }
                event = null;
                data = null;
            } else if (line.startsWith(":")) {
                sink.accept(new Message(null, null, null, line.substring(1).strip()));
            } else {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> { }
                }
            }
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            parse(lines, messages::add);
        } catch (IOException e) {
            // closed by the test or by the server: the end of the stream either way
        } finally {
            ended = true;
            messages.add(END);
        }
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
