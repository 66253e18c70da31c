package dev.parley.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A row of {@code external_identities}: which account an identity provider's subject is. */
@MappedEntity("external_identities")
record ExternalIdentityRow(@Id @GeneratedValue @Nullable Long id, String issuer, String subject, long userId,
                           Instant createdAt) {
}
