package dev.parley.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;

/**
 * A row of {@code users}. The password hash never leaves the auth package.
 *
 * @param trustLevel       a {@link TrustLevel}'s number
 * @param trustLevelLocked set by a moderator: automatic rises leave it alone
 */
@MappedEntity("users")
record UserAccount(@Id @GeneratedValue @Nullable Long id, String username, String email, String passwordHash,
                   @TypeDef(type = DataType.STRING, converter = RoleConverter.class) Role role,
                   @Nullable Instant suspendedAt, @Nullable Long suspendedBy, @Nullable String suspensionReason,
                   Instant createdAt, int trustLevel, boolean trustLevelLocked) {

    static UserAccount newAccount(String username, String email, String passwordHash, Role role, TrustLevel trust,
                                  Instant now) {
        return new UserAccount(null, username, email, passwordHash, role, null, null, null, now, trust.value(), false);
    }

    TrustLevel trust() {
        return TrustLevel.of(trustLevel).orElseThrow();
    }

    boolean suspended() {
        return suspendedAt != null;
    }
}
