package dev.parley.auth;

import dev.parley.common.DomainException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Turns a verified token into the {@link Actor} the database knows now. The token only proves who
 * the caller is; role and suspension are read on every request so that changes apply at once, and
 * a token of a user who no longer exists, was deleted, or whose session was revoked (logout,
 * password change) is refused.
 * <p>
 * Why a session claim rather than a per-user token version: the session is what logout and a
 * password change end, one sign-in at a time (logging out on the phone leaves the laptop signed
 * in; a password change keeps the session that made it). The check rides on the account lookup
 * every request already makes, so revocation costs no extra statement and applies to the next request.
 */
@Singleton
public class Actors {

    static final String USER_ID_CLAIM = "uid";
    /** The session (sign-in) a local access token belongs to; tokens without one are refused. */
    static final String SESSION_CLAIM = "sid";

    private final UserRepository users;
    private final ExternalAccounts external;

    Actors(UserRepository users, ExternalAccounts external) {
        this.users = users;
        this.external = external;
    }

    /** The caller, or 401 when there is no usable token. */
    public Actor require(@Nullable Authentication authentication) {
        return optional(authentication)
                .orElseThrow(() -> DomainException.unauthenticated("A valid bearer token is required."));
    }

    /**
     * The caller of a public endpoint, or empty for an anonymous one. One statement on a connection of
     * its own, outside any transaction: a read-only transaction around it would add a round trip
     * (COMMIT) to every authenticated request for nothing.
     */
    public Optional<Actor> optional(@Nullable Authentication authentication) {
        if (authentication != null
                && authentication.getAttributes().get(ExternalIdentity.ATTRIBUTE) instanceof ExternalIdentity identity) {
            UserAccount account = external.resolve(identity);
            return Optional.of(new Actor(account.id(), account.username(), account.role(), account.suspended(),
                        account.lastWrite()));
        }
        if (authentication == null || !(authentication.getAttributes().get(USER_ID_CLAIM) instanceof Number id)
                || !(authentication.getAttributes().get(SESSION_CLAIM) instanceof Number session)) {
            return Optional.empty();
        }
        return users.findInLiveSession(id.longValue(), session.longValue())
                .filter(account -> account.username().equals(authentication.getName()))
                .map(account -> new Actor(account.id(), account.username(), account.role(), account.suspended(),
                        account.lastWrite()));
    }

    /**
     * The account id behind a token without reading the account for a local token (its claim names it);
     * empty for a token that names none.
     */
    Optional<Long> accountId(@Nullable Authentication authentication) {
        if (authentication != null
                && authentication.getAttributes().get(ExternalIdentity.ATTRIBUTE) instanceof ExternalIdentity identity) {
            return Optional.ofNullable(external.resolve(identity).id());
        }
        return authentication != null && authentication.getAttributes().get(USER_ID_CLAIM) instanceof Number id
                ? Optional.of(id.longValue()) : Optional.empty();
    }

    /** The session of a local access token, or empty for a token without one. */
    Optional<Long> session(@Nullable Authentication authentication) {
        return authentication != null && authentication.getAttributes().get(SESSION_CLAIM) instanceof Number session
                ? Optional.of(session.longValue()) : Optional.empty();
    }
}
