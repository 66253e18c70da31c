package dev.parley.auth;

import java.time.Instant;

/** A row of {@code users}. The password hash never leaves the auth package. */
record UserAccount(long id, String username, String email, String passwordHash, Role role,
                   Instant suspendedAt, Instant createdAt) {

    boolean suspended() {
        return suspendedAt != null;
    }
}
