package dev.parley.events;

import dev.parley.common.LowercaseEnumConverter;
import io.micronaut.core.convert.ConversionContext;
import io.micronaut.data.model.runtime.convert.AttributeConverter;
import jakarta.inject.Singleton;

/** The converters of the outbox's enum columns. */
final class Converters {

    private Converters() {
    }

    @Singleton
    static final class AudienceConverter extends LowercaseEnumConverter<Audience> {
        AudienceConverter() {
            super(Audience.class);
        }
    }

    /** Event types are stored by their wire name ({@code post.published}), what readers filter on. */
    @Singleton
    static final class EventTypeConverter implements AttributeConverter<EventType, String> {
        @Override
        public String convertToPersistedValue(EventType value, ConversionContext context) {
            return value == null ? null : value.wire();
        }

        @Override
        public EventType convertToEntityValue(String value, ConversionContext context) {
            return value == null ? null : EventType.ofWire(value).orElseThrow();
        }
    }
}
