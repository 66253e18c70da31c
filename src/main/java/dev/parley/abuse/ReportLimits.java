package dev.parley.abuse;

import dev.parley.abuse.RateLimiter.Charge;
import dev.parley.common.DomainException;
import dev.parley.common.ProblemResponses;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Reports per member ({@code reports}): one member reporting every post would flood the review
 * queue. Call inside the report's transaction, before writing, like {@link PostingLimits}: a report
 * that fails or adds nothing costs nothing, and a refusal (429) leaves nothing behind. Moderators
 * and admins are exempt while {@code staff-exempt} is true.
 */
@Singleton
public class ReportLimits {

    private final RateLimiter limiter;
    private final RateLimitConfig config;

    ReportLimits(RateLimiter limiter, RateLimitConfig config) {
        this.limiter = limiter;
        this.config = config;
    }

    /** Charges one report to the member; 429 with the time to wait when the budget is exhausted. */
    public void charge(long memberId, boolean staff) {
        if (!config.enabled() || (staff && config.staffExempt())) {
            return;
        }
        limiter.chargeAll(List.of(new Charge(Scope.REPORTS, Long.toString(memberId)))).ifPresent(refusal -> {
            throw DomainException.rateLimited("You are reporting too fast. Try again in "
                    + ProblemResponses.retryAfterSeconds(refusal.retryAfter()) + " seconds.", refusal.retryAfter());
        });
    }
}
