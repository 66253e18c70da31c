package dev.parley.common;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;

/**
 * What the last check found out about the read replica.
 *
 * @param status    whether it may serve reads
 * @param replayed  how far it has replayed the primary's WAL ({@link WalPosition#START} when unknown)
 * @param lagBytes  WAL the primary has written that the replica has not replayed
 * @param lag       how long ago the primary was where the replica is now (to the check interval)
 * @param checkedAt when the check ran, null before the first
 * @param problem   why it serves no reads, null when it does
 */
public record ReplicaState(Status status, WalPosition replayed, long lagBytes, Duration lag,
                           @Nullable Instant checkedAt, @Nullable String problem) {

    public enum Status {
        /** No replica data source: every read on the primary. */
        NONE,
        /** Not checked yet: reads on the primary until the first check. */
        UNKNOWN,
        /** Within the allowed lag: reads may go there. */
        UP,
        /** Further behind than {@code max-lag}: reads on the primary until it catches up. */
        LAGGING,
        /** Could not be reached, or is not a standby: reads on the primary until it answers again. */
        DOWN
    }

    static final ReplicaState NONE = new ReplicaState(Status.NONE, WalPosition.START, 0, Duration.ZERO, null, null);
    static final ReplicaState UNKNOWN = new ReplicaState(Status.UNKNOWN, WalPosition.START, 0, Duration.ZERO, null,
            "not checked yet");

    static ReplicaState down(Instant at, String problem) {
        return new ReplicaState(Status.DOWN, WalPosition.START, 0, Duration.ZERO, at, problem);
    }
}
