package dev.parley.events;

import dev.parley.common.DatabaseConnections;
import dev.parley.common.DomainException;
import dev.parley.common.PgListener;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.sse.Event;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves the outbox as server-sent event streams. One dispatcher thread per instance reads the outbox
 * once for all streams (woken by notifications on the outbox's channel, or by its poll interval) and
 * hands each stream the events it carries; a stream opened with {@code Last-Event-ID} first reads its
 * own backlog from the outbox, a queue's worth at a time, and then joins the shared reading. The outbox
 * is the source of truth, so a stream on any instance carries the events written by every instance.
 */
@Singleton
public class EventStreams {

    private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);
    /** The channel the outbox's commit trigger notifies (V19). */
    private static final String CHANNEL = "parley_events";
    private static final Duration RETRY_AFTER_FULL = Duration.ofSeconds(5);

    private final OutboxReader reader;
    private final EventsConfig config;
    private final PgListener listener;
    private final AtomicInteger open = new AtomicInteger();
    private final Queue<StreamSubscriber> joining = new ConcurrentLinkedQueue<>();
    private final Semaphore wake = new Semaphore(0);
    // Dispatcher thread only:
    private final List<StreamSubscriber> catchingUp = new ArrayList<>();
    private final List<StreamSubscriber> live = new ArrayList<>();
    private long position = -1;
    private long lastHeartbeat = System.nanoTime();
    private volatile boolean running;
    private Thread dispatcher;

    EventStreams(OutboxReader reader, EventsConfig config, MeterRegistry registry, DatabaseConnections connections) {
        this.reader = reader;
        this.config = config;
        this.listener = new PgListener(connections, CHANNEL, "parley-events-listener");
        Gauge.builder("parley.event.streams.open", open, AtomicInteger::get)
                .description("Server-sent event streams open on this instance").register(registry);
    }

    /**
     * Opens a stream of the events the filter accepts: those after {@code lastEventId}, or, without
     * one, those committed from now on. 503 (with {@code Retry-After}) when this instance already
     * serves {@code parley.events.max-streams} streams: the limit protects the instance, and another
     * instance (or this one a moment later) can serve the client.
     */
    public Publisher<Event<Object>> open(StreamFilter filter, @Nullable Long lastEventId) {
        if (open.incrementAndGet() > config.maxStreams()) {
            open.decrementAndGet();
            throw DomainException.unavailable("This instance serves as many event streams as it may; try again shortly.",
                    RETRY_AFTER_FULL);
        }
        try {
            long cursor = lastEventId != null ? lastEventId : reader.lastId();
            ensureStarted();
            StreamSubscriber stream = new StreamSubscriber(filter, cursor, config.streamBuffer(),
                    open::decrementAndGet, wake::release);
            joining.add(stream);
            wake.release();
            return stream.flux();
        } catch (RuntimeException e) {
            open.decrementAndGet();
            throw e;
        }
    }

    /** Parses a {@code Last-Event-ID} header: an event id, or nothing. */
    public static @Nullable Long lastEventId(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(header.strip());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw DomainException.malformed("Last-Event-ID must be an event id (a number from an earlier event).");
    }

    /** Streams open on this instance. */
    public int openStreams() {
        return open.get();
    }

    private synchronized void ensureStarted() {
        if (running) {
            return;
        }
        running = true;
        listener.start(wake::release);
        dispatcher = new Thread(this::dispatch, "parley-events-dispatcher");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    @PreDestroy
    synchronized void stop() {
        running = false;
        listener.stop();
        if (dispatcher != null) {
            dispatcher.interrupt();
        }
    }

    private void dispatch() {
        long heartbeatNanos = config.heartbeat().toNanos();
        while (running) {
            try {
                long untilHeartbeat = Math.max(0, heartbeatNanos - (System.nanoTime() - lastHeartbeat));
                wake.tryAcquire(Math.min(untilHeartbeat, config.pollInterval().toNanos()), TimeUnit.NANOSECONDS);
                wake.drainPermits();
                step();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The database is away: streams stay open (heartbeats continue) and catch up when it is back.
                LOG.warn("Reading the outbox failed ({}); retrying", e.getMessage());
                heartbeats();
                sleepQuietly(config.pollInterval());
            }
        }
    }

    /** One round: new streams, backlogs, then the events committed since the last round. */
    void step() {
        if (position < 0) {
            position = reader.lastId();
        }
        for (StreamSubscriber stream; (stream = joining.poll()) != null; ) {
            catchingUp.add(stream);
        }
        catchUp();
        readNewEvents();
        heartbeats();
        live.removeIf(StreamSubscriber::ended);
    }

    private void catchUp() {
        for (var it = catchingUp.iterator(); it.hasNext(); ) {
            StreamSubscriber stream = it.next();
            while (!stream.ended() && stream.cursor() < position && stream.room() > 0) {
                long from = stream.cursor();
                int want = Math.min(stream.room(), config.readBatch());
                List<OutboxEvent> page = stream.filter().threadId() == null
                        ? reader.all(from, position, want)
                        : reader.publicOfThread(stream.filter().threadId(), from, position, want);
                page.forEach(stream::offer);
                if (page.size() < want) {
                    stream.caughtUpTo(position);
                }
            }
            if (stream.ended()) {
                it.remove();
            } else if (stream.cursor() >= position) {
                stream.caughtUpTo(position);
                live.add(stream);
                it.remove();
            }
        }
    }

    private void readNewEvents() {
        List<OutboxEvent> batch;
        do {
            batch = reader.all(position, Long.MAX_VALUE, config.readBatch());
            for (OutboxEvent event : batch) {
                for (StreamSubscriber stream : live) {
                    stream.offer(event);
                }
            }
            if (!batch.isEmpty()) {
                position = batch.get(batch.size() - 1).id();
            }
        } while (batch.size() == config.readBatch());
    }

    private void heartbeats() {
        if (System.nanoTime() - lastHeartbeat >= config.heartbeat().toNanos()) {
            lastHeartbeat = System.nanoTime();
            live.forEach(StreamSubscriber::heartbeat);
            catchingUp.forEach(StreamSubscriber::heartbeat);
        }
    }

    private static void sleepQuietly(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
