package dev.parley.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** The public shape of a user; {@code email} only for the user themself and admins. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserView(long id, String username, String role, Instant createdAt, boolean suspended, String email) {

    static UserView of(UserAccount account, boolean withEmail) {
        return new UserView(account.id(), account.username(), account.role().wire(), account.createdAt(),
                account.suspended(), withEmail ? account.email() : null);
    }
}
