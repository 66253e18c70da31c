package dev.parley.abuse;

import dev.parley.abuse.RateLimiter.Charge;
import dev.parley.common.DomainException;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Locale;

/**
 * Login throttling, checked before the password is (a refused attempt learns nothing about it).
 * <ul>
 *   <li>every attempt counts against the client address ({@code login-address});</li>
 *   <li>a failed attempt counts against the account from that address ({@code login-account-address})
 *       and against the account from everywhere ({@code login-account}).</li>
 * </ul>
 * Failures are charged up front and refunded when the password turns out right, so concurrent
 * guesses cannot all slip through before the first one is counted.
 * <p>
 * Lock-out: an attacker who fails from their own address exhausts only their own
 * account-and-address budget; the owner, logging in from another address, is not affected. Only the
 * account-wide ceiling, set several times higher, can shut the owner out, and reaching it takes
 * failures from several addresses at once (limit / per-address limit of them per window). That
 * ceiling exists to slow a distributed guesser; its cost, a temporary lock-out under such an attack,
 * is the accepted trade-off. Unknown usernames are counted the same way as real ones, so the limits
 * do not reveal which accounts exist.
 */
@Singleton
public class LoginLimits {

    /** A login attempt that passed the limits; tell it whether the password was right. */
    public interface Attempt {
        /** The password was right: the attempt was not a failure. */
        void succeeded();
    }

    private static final Attempt UNLIMITED = () -> { };

    private final RateLimiter limiter;
    private final RateLimitConfig config;

    LoginLimits(RateLimiter limiter, RateLimitConfig config) {
        this.limiter = limiter;
        this.config = config;
    }

    /**
     * Charges a login attempt for {@code username} from {@code clientAddress} (see {@link ClientAddresses});
     * 429 with the time to wait when a limit is exhausted.
     */
    public Attempt begin(String username, String clientAddress) {
        if (!config.enabled()) {
            return UNLIMITED;
        }
        String account = username.toLowerCase(Locale.ROOT);   // usernames are unique ignoring case
        List<Charge> failures = List.of(
                new Charge(Scope.LOGIN_ACCOUNT_ADDRESS, account + " " + clientAddress),
                new Charge(Scope.LOGIN_ACCOUNT, account));
        List<Charge> all = List.of(new Charge(Scope.LOGIN_ADDRESS, clientAddress), failures.get(0), failures.get(1));
        limiter.chargeAll(all).ifPresent(refusal -> {
            throw DomainException.rateLimited("Too many login attempts. Try again in "
                    + seconds(refusal) + " seconds.", refusal.retryAfter());
        });
        return () -> limiter.refund(failures);
    }

    private static String seconds(RateLimiter.Refusal refusal) {
        return dev.parley.common.ProblemResponses.retryAfterSeconds(refusal.retryAfter());
    }
}
