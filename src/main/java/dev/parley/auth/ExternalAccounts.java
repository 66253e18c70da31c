package dev.parley.auth;

import dev.parley.common.UniqueViolations;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * The Parley account of an identity provider's subject, created the first time Parley sees it. The
 * claims shape only the new account (name, email, role); afterwards Parley's own record rules, so
 * role changes and suspensions made here apply whatever the provider's tokens say.
 */
@Singleton
class ExternalAccounts {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalAccounts.class);
    private static final int MAX_USERNAME = 32;

    private final ExternalIdentityRepository identities;
    private final UserRepository users;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;
    private final TrustConfig trust;
    private final UsernameScreen screen;

    ExternalAccounts(ExternalIdentityRepository identities, UserRepository users, TransactionOperations<Connection> tx,
                     Clock clock, TrustConfig trust, UsernameScreen screen) {
        this.identities = identities;
        this.users = users;
        this.tx = tx;
        this.clock = clock;
        this.trust = trust;
        this.screen = screen;
    }

    /**
     * The account of the identity, created on first sight. Two first requests at once serialise on
     * the subject (see {@link ExternalIdentityRepository#lockSubject}): the second finds the account
     * the first made. Different subjects racing for one name do not serialise; the loser retries once.
     * The common case, an existing account, is one statement.
     */
    UserAccount resolve(ExternalIdentity identity) {
        Optional<UserAccount> known = identities.findAccount(identity.issuer(), identity.subject());
        if (known.isPresent()) {
            return known.get();
        }
        // Screened before the transaction, as at registration, so no connection waits on the provider.
        String wanted = acceptableName(identity);
        try {
            return createOnce(identity, wanted);
        } catch (DataAccessException e) {
            if (!UniqueViolations.isUniqueViolation(e)) {
                throw e;
            }
            // Someone else (another subject, or a local registration) took the name or the email between
            // the check and the insert; the second attempt sees it taken and picks the suffixed name.
            return createOnce(identity, wanted);
        }
    }

    private UserAccount createOnce(ExternalIdentity identity, String wanted) {
        return tx.executeWrite(status -> {
            identities.lockSubject(identity.issuer(), identity.subject());
            return identities.findAccount(identity.issuer(), identity.subject()).orElseGet(() -> create(identity, wanted));
        });
    }

    private UserAccount create(ExternalIdentity identity, String wanted) {
        String username = freeName(wanted, identity);
        String email = identity.email() != null && !users.existsByEmailEqualsIgnoreCase(identity.email())
                ? identity.email().toLowerCase(Locale.ROOT) : null;
        UserAccount account = users.save(UserAccount.newAccount(username, email, null, identity.role(),
                trust.initial(), clock.instant()));
        identities.save(new ExternalIdentityRow(null, identity.issuer(), identity.subject(), account.id(),
                clock.instant()));
        LOG.info("Created account {} for subject of {}", account.id(), identity.issuer());
        return account;
    }

    /**
     * The mapped username within registration's alphabet and length, or a neutral name when there is
     * none or the moderation policy would not let it be shown (usernames appear beside every post).
     */
    private String acceptableName(ExternalIdentity identity) {
        String name = identity.username() == null ? "" : identity.username().replaceAll("[^A-Za-z0-9_.-]", "-");
        name = name.length() > MAX_USERNAME - 9 ? name.substring(0, MAX_USERNAME - 9) : name;
        if (name.length() < 3 || !screen.objections(name).isEmpty()) {
            return "user";
        }
        return name;
    }

    /**
     * The name if it is free, else the name with a suffix derived from the subject: an existing
     * local account is never taken over, and the same person gets the same name on every instance.
     */
    private String freeName(String wanted, ExternalIdentity identity) {
        if (!wanted.equals("user") && !users.existsByUsernameEqualsIgnoreCaseAndDeletedAtIsNull(wanted)) {
            return wanted;
        }
        String suffix = java.util.HexFormat.of().formatHex(
                Sessions.hash(identity.issuer() + " " + identity.subject())).substring(0, 6);
        String candidate = wanted + "-" + suffix;
        for (int n = 2; users.existsByUsernameEqualsIgnoreCaseAndDeletedAtIsNull(candidate); n++) {
            candidate = wanted + "-" + suffix + n;
        }
        return candidate;
    }
}
