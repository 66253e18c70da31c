package dev.parley.abuse;

import dev.parley.abuse.RateLimiter.Charge;
import dev.parley.common.DomainException;
import dev.parley.common.ProblemResponses;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Limits on searches that run a model inference (an embedding of the query: CPU with the local
 * model, a paid call sharing the indexer's quota with OpenAI). Keyword searches are not charged:
 * they are an index lookup like any listing page, and a charge would double their cost. Nor are
 * semantic searches whose query vector the search's query cache already holds, for the same reason:
 * no model runs, and the charge (a committed upsert) would be the costliest statement of the request.
 * Varying the query to dodge the cache makes every request a charged miss, so the model stays
 * protected; repeating one query buys only index lookups, which no listing limits either.
 * <ul>
 *   <li>anonymous callers count against their client address ({@code search-address});</li>
 *   <li>members count against their own account, wherever they are ({@code search-member}), with a
 *       higher limit: an account is accountable and scarce (registrations are limited), and a
 *       member behind a shared address (office, campus) must not be refused because of anonymous
 *       traffic from the same network;</li>
 *   <li>moderators and admins are exempt while {@code staff-exempt} is true.</li>
 * </ul>
 * Call it outside any transaction, before the inference: the charge commits at once, so a request
 * never holds the counter's row lock while the model runs.
 */
@Singleton
public class SearchLimits {

    private final RateLimiter limiter;
    private final RateLimitConfig config;

    SearchLimits(RateLimiter limiter, RateLimitConfig config) {
        this.limiter = limiter;
        this.config = config;
    }

    /**
     * Charges one search that runs an inference: to {@code memberId} when the caller is signed in,
     * else to {@code clientAddress}; 429 with the time to wait when the budget is exhausted.
     */
    public void charge(String clientAddress, @Nullable Long memberId, boolean staff) {
        if (!config.enabled() || (staff && config.staffExempt())) {
            return;
        }
        Charge charge = memberId == null ? new Charge(Scope.SEARCH_ADDRESS, clientAddress)
                : new Charge(Scope.SEARCH_MEMBER, Long.toString(memberId));
        limiter.chargeAll(List.of(charge)).ifPresent(refusal -> {
            throw DomainException.rateLimited("You are searching too fast. Try again in "
                    + ProblemResponses.retryAfterSeconds(refusal.retryAfter()) + " seconds.", refusal.retryAfter());
        });
    }
}
