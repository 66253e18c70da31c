package dev.parley.auth;

import dev.parley.common.DomainException;
import dev.parley.common.LastWrite;
import dev.parley.common.WalPosition;

/**
 * The authenticated user behind a request, as the database knows them now (not as the token says).
 *
 * @param lastWrite where the user's last write ended in the primary's WAL: their reads go to a replica
 *                  only once it has replayed that far (README "Read replicas")
 */
public record Actor(long id, String username, Role role, boolean suspended, WalPosition lastWrite) implements LastWrite {

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
