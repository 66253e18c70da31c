package dev.parley.moderation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;

/**
 * A row of {@code appeals}: an author's appeal of one decision on a post version. Its outcome is the
 * resolution (uphold, overturn, superseded) of its review item.
 *
 * @param originalDecisionId the automated decision of the version, whose scores the moderator sees
 * @param originalItemId     the review item a moderator resolved, when a moderator took the decision
 * @param originalBy         that moderator; null for an automated decision
 */
@MappedEntity("appeals")
record AppealRow(@Id @GeneratedValue @Nullable Long id,
                 long reviewItemId,
                 long postId,
                 int postVersion,
                 long authorId,
                 String message,
                 Instant createdAt,
                 @TypeDef(type = DataType.STRING, converter = EnumConverters.DecisionConverter.class)
                 Decision originalDecision,
                 @Nullable Long originalDecisionId,
                 @Nullable Long originalItemId,
                 @Nullable Long originalBy) {
}
