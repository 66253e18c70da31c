package dev.parley.auth;

import dev.parley.common.DomainException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Turns a verified token into the {@link Actor} the database knows now. The token only proves who
 * the caller is; role and suspension are read on every request so that changes apply at once, and
 * a token of a user who no longer exists is refused.
 */
@Singleton
public class Actors {

    static final String USER_ID_CLAIM = "uid";

    private final UserRepository users;

    Actors(UserRepository users) {
        this.users = users;
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
        if (authentication == null || !(authentication.getAttributes().get(USER_ID_CLAIM) instanceof Number id)) {
            return Optional.empty();
        }
        return users.findById(id.longValue())
                .filter(account -> account.username().equals(authentication.getName()))
                .map(account -> new Actor(account.id(), account.username(), account.role(), account.suspended()));
    }
}
