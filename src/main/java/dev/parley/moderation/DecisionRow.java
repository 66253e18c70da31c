package dev.parley.moderation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A row of {@code moderation_decisions}: the automated decision of one post version or, with
 * {@code subject} title, of one title edit of the thread the post opens ({@code postVersion} is the edit's).
 *
 * @param unmoderated published without the provider's verdict, to be scanned again
 * @param rules       the policy's new-account rules that applied (docs/moderation.md, "Trust levels")
 */
@MappedEntity("moderation_decisions")
record DecisionRow(@Id @GeneratedValue @Nullable Long id,
                   long postId,
                   @TypeDef(type = DataType.STRING, converter = EnumConverters.SubjectConverter.class)
                   Subject subject,
                   int postVersion,
                   String provider,
                   String model,
                   @TypeDef(type = DataType.JSON) Map<String, Double> scores,
                   long policyVersion,
                   @TypeDef(type = DataType.JSON) List<Verdict.Fired> fired,
                   @TypeDef(type = DataType.STRING, converter = EnumConverters.DecisionConverter.class)
                   Decision decision,
                   boolean unmoderated,
                   Instant createdAt,
                   @TypeDef(type = DataType.JSON) List<TrustRule> rules) {
}
