package dev.parley.auth;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.util.Optional;

/** Usernames as other features name members in requests (a search by author), resolved to ids. */
@Singleton
public class Usernames {

    private final UserRepository users;

    Usernames(UserRepository users) {
        this.users = users;
    }

    /** The id of the member with this username, ignoring case as sign-in does; empty when there is none. */
    @Transactional(readOnly = true)
    public Optional<Long> idOf(String username) {
        return users.findIdByUsernameEqualsIgnoreCaseAndDeletedAtIsNull(username);
    }
}
