package dev.parley.moderation;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;

/** The last outcome of the moderation provider in this instance, for /health and logs. */
@Singleton
class ProviderHealth {

    enum State { OK, UNAVAILABLE, CONFIGURATION_ERROR }

    record Snapshot(State state, String error, Instant since) {
    }

    private final Clock clock;
    private volatile Snapshot snapshot;

    ProviderHealth(Clock clock) {
        this.clock = clock;
        this.snapshot = new Snapshot(State.OK, null, clock.instant());
    }

    void succeeded() {
        if (snapshot.state() != State.OK) {
            snapshot = new Snapshot(State.OK, null, clock.instant());
        }
    }

    void failed(ProviderException failure) {
        State state = failure.kind() == ProviderException.Kind.CONFIGURATION ? State.CONFIGURATION_ERROR
                : State.UNAVAILABLE;
        Instant since = snapshot.state() == state ? snapshot.since() : clock.instant();
        snapshot = new Snapshot(state, failure.kind() + ": " + failure.getMessage(), since);
    }

    Snapshot snapshot() {
        return snapshot;
    }
}
