package dev.parley.common;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import io.micronaut.core.async.publisher.Publishers;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /health/liveness} (and {@code /health}) part "deadlockedThreads": DOWN while threads of this
 * JVM are deadlocked. It replaces Micronaut's indicator of that name (switched off in application.yml),
 * which asked the JVM on every call: {@link ThreadMXBean#findDeadlockedThreads()} is a VM operation that
 * stops every thread at a safepoint, so each probe of a load balancer paused the whole service (measured:
 * one safepoint per liveness request, and the route ran at a third to a half of the rate of a trivial
 * one). Here the JVM is asked at most once per {@code parley.health.deadlock-check-interval}; a deadlock
 * does not go away by itself, so an answer that old is still true.
 */
@Singleton
@Liveness
class DeadlockedThreads implements HealthIndicator {

    private static final String NAME = "deadlockedThreads";

    private record Checked(Instant at, HealthResult result) {
    }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Clock clock;
    private final HealthConfig config;
    private volatile Checked last;

    DeadlockedThreads(Clock clock, HealthConfig config) {
        this.clock = clock;
        this.config = config;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(current());
    }

    private HealthResult current() {
        Checked checked = last;
        if (checked == null || isStale(checked)) {
            synchronized (this) {  // concurrent probes share one check instead of each stopping the JVM
                checked = last;
                if (checked == null || isStale(checked)) {
                    checked = new Checked(clock.instant(), check());
                    last = checked;
                }
            }
        }
        return checked.result();
    }

    private boolean isStale(Checked checked) {
        return !clock.instant().isBefore(checked.at().plus(config.deadlockCheckInterval()));
    }

    private HealthResult check() {
        HealthResult.Builder result = HealthResult.builder(NAME);
        try {
            long[] deadlocked = threads.findDeadlockedThreads();
            if (deadlocked == null) {
                return result.status(HealthStatus.UP).build();
            }
            List<Map<String, Object>> details = Arrays.stream(threads.getThreadInfo(deadlocked, true, true))
                    .map(DeadlockedThreads::describe).toList();
            return result.status(HealthStatus.DOWN).details(details).build();
        } catch (RuntimeException e) {
            return result.status(HealthStatus.UNKNOWN).exception(e).build();
        }
    }

    private static Map<String, Object> describe(ThreadInfo thread) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("threadId", String.valueOf(thread.getThreadId()));
        details.put("threadName", thread.getThreadName());
        details.put("threadState", thread.getThreadState().name());
        details.put("lockName", thread.getLockName());
        details.put("lockOwnerName", thread.getLockOwnerName());
        details.put("lockOwnerId", String.valueOf(thread.getLockOwnerId()));
        details.put("stackTrace", Arrays.stream(thread.getStackTrace()).map(String::valueOf).toList());
        return details;
    }
}
