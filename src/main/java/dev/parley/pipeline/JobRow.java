package dev.parley.pipeline;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;
import java.util.UUID;

/** A row of the {@code jobs} table. */
@MappedEntity("jobs")
record JobRow(@Id @GeneratedValue @Nullable Long id,
              String kind,
              @TypeDef(type = DataType.JSON) String payload,
              @Nullable String uniqueKey,
              @TypeDef(type = DataType.STRING, converter = JobState.Converter.class) JobState state,
              int attempts,
              int maxAttempts,
              Instant runAt,
              Instant createdAt,
              @Nullable Instant startedAt,
              @Nullable Instant finishedAt,
              @Nullable String lockedBy,
              @Nullable Instant leaseUntil,
              @Nullable UUID leaseToken,
              @Nullable String lastError) {
}
