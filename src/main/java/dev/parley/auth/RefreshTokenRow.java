package dev.parley.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A row of {@code refresh_tokens}: the SHA-256 of a token, never the token itself.
 *
 * @param usedAt set when the token was rotated; presenting it again revokes its session
 */
@MappedEntity("refresh_tokens")
record RefreshTokenRow(@Id @GeneratedValue @Nullable Long id, long sessionId, byte[] tokenHash, Instant createdAt,
                       Instant expiresAt, @Nullable Instant usedAt) {
}
