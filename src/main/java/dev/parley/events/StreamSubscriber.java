package dev.parley.events;

import io.micronaut.http.sse.Event;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open stream: a bounded queue of SSE events between the dispatcher and the connection, drained
 * only as fast as the connection asks for them (Micronaut asks when Netty's channel is writable). A
 * live stream whose queue is full is ended at once, so a stalled client holds at most
 * {@code capacity} events; the client reconnects with {@code Last-Event-ID} and resumes from the outbox.
 * The dispatcher fills a stream that is catching up only as far as its queue has room.
 */
final class StreamSubscriber {

    /** Ends a stream whose client fell {@code capacity} events behind. */
    static final class Overflow extends RuntimeException {
        Overflow() {
            super("The client fell too far behind; resume with Last-Event-ID.", null, false, false);
        }
    }

    private static final Duration RECONNECT_AFTER = Duration.ofSeconds(2);

    private final StreamFilter filter;
    private final int capacity;
    private final ArrayDeque<Event<Object>> queue = new ArrayDeque<>();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Runnable onEnd;
    private final Runnable onRoom;
    private final Flux<Event<Object>> flux;
    private volatile FluxSink<Event<Object>> emitter;
    /** The last event id this stream has passed (delivered or filtered out). Dispatcher thread only. */
    private long cursor;
    /** True until the stream has read the outbox up to the dispatcher's position. Dispatcher thread only. */
    private volatile boolean catchingUp = true;

    StreamSubscriber(StreamFilter filter, long cursor, int capacity, Runnable onEnd, Runnable onRoom) {
        this.filter = filter;
        this.cursor = cursor;
        this.capacity = capacity;
        this.onEnd = onEnd;
        this.onRoom = onRoom;
        // The first line tells the client the stream is open (and how soon to reconnect).
        queue.add(Event.<Object>of("").comment("connected").retry(RECONNECT_AFTER));
        this.flux = Flux.<Event<Object>>create(sink -> {
            emitter = sink;
            sink.onRequest(n -> drain());
            sink.onDispose(this::end);
            drain();
        }, FluxSink.OverflowStrategy.ERROR);
    }

    Flux<Event<Object>> flux() {
        return flux;
    }

    StreamFilter filter() {
        return filter;
    }

    long cursor() {
        return cursor;
    }

    boolean catchingUp() {
        return catchingUp;
    }

    void caughtUpTo(long id) {
        cursor = Math.max(cursor, id);
        catchingUp = false;
    }

    boolean ended() {
        return ended.get();
    }

    /** Free places in the queue: how much a catching-up stream may take now. */
    int room() {
        synchronized (queue) {
            return capacity - queue.size();
        }
    }

    /** Queues the event if the stream carries it and has not passed it; ends the stream when full. */
    void offer(OutboxEvent event) {
        if (event.id() <= cursor || ended()) {
            return;
        }
        cursor = event.id();
        if (!filter.accepts(event)) {
            return;
        }
        enqueue(Event.<Object>of(event).id(Long.toString(event.id())).name(event.type()));
    }

    /** A comment line, so proxies see traffic on an idle stream; skipped while events are waiting anyway. */
    void heartbeat() {
        synchronized (queue) {
            if (!queue.isEmpty()) {
                return;
            }
        }
        enqueue(Event.<Object>of("").comment("heartbeat"));
    }

    private void enqueue(Event<Object> event) {
        synchronized (queue) {
            if (queue.size() >= capacity) {
                overflow();
                return;
            }
            queue.add(event);
        }
        drain();
    }

    private void overflow() {
        queue.clear();
        FluxSink<Event<Object>> sink = emitter;
        end();
        if (sink != null) {
            // An error ends the response at once (the connection closes), dropping what was queued.
            sink.error(new Overflow());
        }
    }

    private void drain() {
        FluxSink<Event<Object>> sink = emitter;
        if (sink == null || wip.getAndIncrement() != 0) {
            return;
        }
        do {
            while (sink.requestedFromDownstream() > 0 && !ended()) {
                Event<Object> next;
                synchronized (queue) {
                    next = queue.poll();
                }
                if (next == null) {
                    break;
                }
                sink.next(next);
            }
        } while (wip.decrementAndGet() != 0);
        if (catchingUp && room() >= capacity / 2) {
            onRoom.run();
        }
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            onEnd.run();
        }
    }
}
