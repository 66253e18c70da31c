package dev.parley.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;

/**
 * A row of {@code sessions}: one sign-in, the family of its refresh tokens and the access tokens
 * issued with them (claim {@code sid}).
 */
@MappedEntity("sessions")
record SessionRow(@Id @GeneratedValue @Nullable Long id, long userId, Instant createdAt, @Nullable Instant revokedAt,
                  @Nullable @TypeDef(type = DataType.STRING, converter = SessionEnd.Converter.class)
                  SessionEnd revokedReason) {

    static SessionRow open(long userId, Instant now) {
        return new SessionRow(null, userId, now, null, null);
    }
}
