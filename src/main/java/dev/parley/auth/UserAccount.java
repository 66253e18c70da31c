package dev.parley.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import dev.parley.common.WalPosition;

import java.time.Instant;

/**
 * A row of {@code users}. The password hash never leaves the auth package.
 *
 * @param trustLevel       a {@link TrustLevel}'s number
 * @param trustLevelLocked set by a moderator: automatic rises leave it alone
 * @param email            null once the account is deleted
 * @param passwordHash     null once the account is deleted, and for accounts of an external identity provider
 * @param deletedAt        set when the account was deleted: the row stays as the author of its posts
 * @param lastWriteLsn     the primary's WAL position (bytes) after the user's last write, null if none
 *                         was recorded (README "Read replicas")
 */
@MappedEntity("users")
record UserAccount(@Id @GeneratedValue @Nullable Long id, String username, @Nullable String email,
                   @Nullable String passwordHash,
                   @TypeDef(type = DataType.STRING, converter = RoleConverter.class) Role role,
                   @Nullable Instant suspendedAt, @Nullable Long suspendedBy, @Nullable String suspensionReason,
                   Instant createdAt, int trustLevel, boolean trustLevelLocked, @Nullable Instant deletedAt,
                   @Nullable Long lastWriteLsn) {

    /** The username every deleted account shows; registration's pattern cannot produce it. */
    static final String DELETED_USERNAME = "[deleted]";

    static UserAccount newAccount(String username, String email, String passwordHash, Role role, TrustLevel trust,
                                  Instant now) {
        return new UserAccount(null, username, email, passwordHash, role, null, null, null, now, trust.value(), false,
                null, null);
    }

    TrustLevel trust() {
        return TrustLevel.of(trustLevel).orElseThrow();
    }

    WalPosition lastWrite() {
        return WalPosition.ofNullable(lastWriteLsn);
    }

    boolean suspended() {
        return suspendedAt != null;
    }
}
