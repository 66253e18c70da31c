package dev.parley.abuse;

import dev.parley.abuse.RateLimiter.Charge;
import dev.parley.common.DomainException;
import dev.parley.common.ProblemResponses;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Registration throttling per client address ({@code registration-address}; IPv6 per /64, see
 * {@link ClientAddresses}). Call it before anything else of the registration, outside its
 * transaction: the refused request then pays no Argon2 hash and writes no account.
 * <p>
 * Every attempt counts, the ones refused with 409 too: a 409 says that a username or email is
 * registered, so counting it also slows anyone probing for accounts through this endpoint. The
 * charge commits on its own for the same reason (a rolled-back charge would make probing free).
 * Networks where many people share one IPv4 address (a campus, carrier NAT) share this budget:
 * raise the limit rather than switch it off if that bites.
 */
@Singleton
public class RegistrationLimits {

    private final RateLimiter limiter;
    private final RateLimitConfig config;

    RegistrationLimits(RateLimiter limiter, RateLimitConfig config) {
        this.limiter = limiter;
        this.config = config;
    }

    /** Charges a registration attempt from {@code clientAddress}; 429 with the time to wait when exhausted. */
    public void charge(String clientAddress) {
        if (!config.enabled()) {
            return;
        }
        limiter.chargeAll(List.of(new Charge(Scope.REGISTRATION_ADDRESS, clientAddress))).ifPresent(refusal -> {
            throw DomainException.rateLimited("Too many registrations from your network. Try again in "
                    + ProblemResponses.retryAfterSeconds(refusal.retryAfter()) + " seconds.", refusal.retryAfter());
        });
    }
}
