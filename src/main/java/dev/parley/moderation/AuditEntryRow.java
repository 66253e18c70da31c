package dev.parley.moderation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;
import java.util.Map;

/**
 * A row of {@code moderation_audit}, which a trigger keeps append-only.
 *
 * @param actor the actor's username, or {@link AuditLog#SYSTEM} for the automated moderation
 */
@MappedEntity("moderation_audit")
record AuditEntryRow(@Id @GeneratedValue @Nullable Long id,
                     Instant at,
                     @Nullable Long actorId,
                     String actor,
                     String action,
                     @Nullable Long postId,
                     @TypeDef(type = DataType.JSON) Map<String, Object> detail) {
}
