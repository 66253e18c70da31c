package dev.parley.forum;

import io.micronaut.core.convert.ConversionContext;
import io.micronaut.data.model.runtime.convert.AttributeConverter;
import jakarta.inject.Singleton;

/** Stores a status as its lowercase wire name, the values the {@code posts.status} check allows. */
@Singleton
class PostStatusConverter implements AttributeConverter<PostStatus, String> {

    @Override
    public String convertToPersistedValue(PostStatus status, ConversionContext context) {
        return status == null ? null : status.wire();
    }

    @Override
    public PostStatus convertToEntityValue(String stored, ConversionContext context) {
        return stored == null ? null : PostStatus.fromWire(stored);
    }
}
