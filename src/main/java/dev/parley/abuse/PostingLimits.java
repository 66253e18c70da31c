package dev.parley.abuse;

import dev.parley.abuse.RateLimiter.Charge;
import dev.parley.common.DomainException;
import dev.parley.common.ProblemResponses;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Per-user limits on writing: new threads and replies ({@code posts}), new threads again on their
 * own ({@code threads}), and edits ({@code edits}). Call inside the write's transaction, before
 * writing: the charge then commits with the write, is rolled back with a write that fails, and a
 * refusal (429) rolls back everything, so a refused request leaves nothing behind.
 * Moderators and admins are exempt while {@code parley.limits.rate.staff-exempt} is true.
 */
@Singleton
public class PostingLimits {

    /** What the user is about to write. */
    public enum Action {
        NEW_THREAD(Scope.POSTS, Scope.THREADS),
        REPLY(Scope.POSTS),
        EDIT(Scope.EDITS);

        private final List<Scope> scopes;

        Action(Scope... scopes) {
            this.scopes = List.of(scopes);
        }
    }

    private final RateLimiter limiter;
    private final RateLimitConfig config;

    PostingLimits(RateLimiter limiter, RateLimitConfig config) {
        this.limiter = limiter;
        this.config = config;
    }

    /** Charges {@code action} to the user; 429 with the time to wait when a limit is exhausted. */
    public void charge(Action action, long userId, boolean staff) {
        if (!config.enabled() || (staff && config.staffExempt())) {
            return;
        }
        String key = Long.toString(userId);
        limiter.chargeAll(action.scopes.stream().map(scope -> new Charge(scope, key)).toList())
                .ifPresent(refusal -> {
                    String what = refusal.scope() == Scope.EDITS ? "editing" : "posting";
                    throw DomainException.rateLimited("You are " + what + " too fast. Try again in "
                            + ProblemResponses.retryAfterSeconds(refusal.retryAfter()) + " seconds.",
                            refusal.retryAfter());
                });
    }
}
