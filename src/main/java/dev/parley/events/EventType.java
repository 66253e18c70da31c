package dev.parley.events;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What happened. The wire name (the SSE {@code event:} field and the outbox's {@code type}) is {@link #wire()}. */
public enum EventType {
    /** A thread was opened (its first post is pending). Staff only. */
    THREAD_CREATED,
    /** A reply was submitted (pending). Staff only. */
    POST_CREATED,
    /** An author submitted a new text for their post (pending again). Staff only. */
    POST_EDITED,
    /** A post became visible: new, approved, or an edit published again ({@code detail}: its version). */
    POST_PUBLISHED,
    /** A published post left the public view without being deleted (edited and in moderation again, or rejected). */
    POST_HIDDEN,
    /** A post was deleted. Public when it was published, else staff only. */
    POST_DELETED,
    THREAD_LOCKED,
    THREAD_UNLOCKED,
    /** An automated moderation decision ({@code detail}: published, flagged or rejected). Staff only. */
    DECISION_MADE,
    /** A review item was opened or got another reason (a report, a newer flag). Staff only. */
    QUEUE_OPENED,
    QUEUE_CLAIMED,
    QUEUE_RELEASED,
    /** A review item was resolved ({@code detail}: approve, reject, uphold, overturn). Staff only. */
    QUEUE_RESOLVED,
    /** An author appealed a decision; its review item is {@code itemId}. Staff only. */
    APPEAL_FILED;

    private final String wire = name().toLowerCase(Locale.ROOT).replaceFirst("_", ".").replace('_', '-');

    /** {@code post.published}, {@code queue.opened}, {@code thread.unlocked}... */
    public String wire() {
        return wire;
    }

    public static Optional<EventType> ofWire(String wire) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(wire)).findFirst();
    }
}
