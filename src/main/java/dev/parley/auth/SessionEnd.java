package dev.parley.auth;

import dev.parley.common.LowercaseEnumConverter;
import jakarta.inject.Singleton;

/** Why a session was revoked, stored as its lowercase name in {@code sessions.revoked_reason}. */
enum SessionEnd {
    LOGOUT,
    /** A refresh token was presented again after it had been rotated: someone else holds a copy. */
    REUSE,
    /** The password changed: every other session of the account ends. */
    PASSWORD_CHANGE,
    ACCOUNT_DELETED;

    @Singleton
    static class Converter extends LowercaseEnumConverter<SessionEnd> {
        Converter() {
            super(SessionEnd.class);
        }
    }
}
