package dev.parley.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * The public shape of a user; {@code email} only for the user themself and admins,
 * {@code trustLevelLocked} only for staff.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserView(long id, String username, String role, Instant createdAt, boolean suspended, String email,
                       int trustLevel, Boolean trustLevelLocked) {

    static UserView of(UserAccount account, boolean withEmail) {
        return new UserView(account.id(), account.username(), account.role().wire(), account.createdAt(),
                account.suspended(), withEmail ? account.email() : null, account.trustLevel(), null);
    }

    /** As staff see a user whose trust level they manage. */
    static UserView forStaff(UserAccount account, boolean withEmail) {
        UserView view = of(account, withEmail);
        return new UserView(view.id(), view.username(), view.role(), view.createdAt(), view.suspended(), view.email(),
                view.trustLevel(), account.trustLevelLocked());
    }
}
