package dev.parley.moderation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;

/** A row of {@code moderation_policies}: every PUT adds a version, the highest is in force. */
@MappedEntity("moderation_policies")
record PolicyRow(@Id @GeneratedValue @Nullable Long version,
                 @TypeDef(type = DataType.JSON) Policy policy,
                 @Nullable Long createdBy,
                 Instant createdAt) {
}
