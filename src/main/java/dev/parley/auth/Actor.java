package dev.parley.auth;

import dev.parley.common.DomainException;

/** The authenticated user behind a request, as the database knows them now (not as the token says). */
public record Actor(long id, String username, Role role, boolean suspended) {

    public boolean atLeast(Role required) {
        return role.atLeast(required);
    }

    public boolean isModerator() {
        return atLeast(Role.MODERATOR);
    }

    /** Throws 403 unless this actor holds {@code required} or a higher role. */
    public Actor require(Role required) {
        if (!atLeast(required)) {
            throw DomainException.forbidden("This needs the " + required.wire() + " role.");
        }
        return this;
    }

    /** Throws 403 for a suspended user: they may read but not write. */
    public Actor requireActive() {
        if (suspended) {
            throw DomainException.forbidden("Your account is suspended.");
        }
        return this;
    }
}
