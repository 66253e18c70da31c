package dev.parley.moderation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;
import java.util.List;

/** A row of {@code review_items}: one post's (or one title edit's) place in the human review queue. */
@MappedEntity("review_items")
record ReviewItemRow(@Id @GeneratedValue @Nullable Long id,
                     long postId,
                     @TypeDef(type = DataType.STRING, converter = EnumConverters.SubjectConverter.class)
                     Subject subject,
                     int postVersion,
                     String forumCategory,
                     @TypeDef(type = DataType.STRING, converter = EnumConverters.ReviewStateConverter.class)
                     ReviewState state,
                     @TypeDef(type = DataType.JSON) List<Reason> reasons,
                     @Nullable Long claimedBy,
                     @Nullable Instant claimedAt,
                     Instant createdAt,
                     @Nullable Long resolvedBy,
                     @Nullable Instant resolvedAt,
                     @Nullable
                     @TypeDef(type = DataType.STRING, converter = EnumConverters.ReviewResolutionConverter.class)
                     ReviewResolution resolution,
                     @Nullable String resolutionNote) {
}
