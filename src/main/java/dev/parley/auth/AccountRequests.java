package dev.parley.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the auth and user endpoints. */
final class AccountRequests {

    private AccountRequests() {
    }

    @Serdeable
    record Register(
            @NotNull @Pattern(regexp = "[A-Za-z0-9_.-]{3,32}",
                    message = "must be 3 to 32 letters, digits, '.', '_' or '-'") String username,
            @NotBlank @Email @Size(max = 254) String email,
            @NotNull @Size(min = 8, max = 128, message = "must be 8 to 128 characters") String password) {
    }

    @Serdeable
    record Login(@NotBlank @Size(max = 64) String username, @NotBlank @Size(max = 256) String password) {
    }

    /** The refresh token, named as in the login response. */
    @Serdeable
    record Refresh(@JsonProperty("refresh_token") @NotBlank @Size(max = 256) String refreshToken) {
    }

    /** Logout by refresh token, for a client whose access token has already expired. */
    @Serdeable
    record Logout(@JsonProperty("refresh_token") @Nullable @Size(max = 256) String refreshToken) {
    }

    @Serdeable
    record ChangePassword(@NotBlank @Size(max = 256) String currentPassword,
                          @NotNull @Size(min = 8, max = 128, message = "must be 8 to 128 characters") String newPassword) {
    }

    /** Deleting one's own account takes the password again (a token alone may be a stolen one). */
    @Serdeable
    record DeleteAccount(@Nullable @Size(max = 256) String password) {
    }

    @Serdeable
    record ChangeRole(@NotNull @Pattern(regexp = "member|moderator|admin",
            message = "must be member, moderator or admin") String role) {
    }

    @Serdeable
    record Suspend(@Nullable @Size(max = 500) String reason) {
    }
}
