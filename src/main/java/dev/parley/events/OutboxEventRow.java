package dev.parley.events;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;

/**
 * A row of {@code outbox_events} as it is inserted. {@code id}, the commit-order id, is left null:
 * the table's deferred trigger assigns it at commit (V19).
 */
@MappedEntity("outbox_events")
record OutboxEventRow(@Id @GeneratedValue @Nullable Long rowId,
                      @Nullable Long id,
                      @TypeDef(type = DataType.STRING, converter = Converters.EventTypeConverter.class) EventType type,
                      @TypeDef(type = DataType.STRING, converter = Converters.AudienceConverter.class) Audience audience,
                      @Nullable Long threadId,
                      @Nullable Long postId,
                      @Nullable Long itemId,
                      @Nullable String detail,
                      Instant occurredAt) {
}
