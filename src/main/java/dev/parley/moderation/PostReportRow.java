package dev.parley.moderation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A row of {@code post_reports}: one user's report, filed under a review item. */
@MappedEntity("post_reports")
record PostReportRow(@Id @GeneratedValue @Nullable Long id,
                     long postId,
                     long reporterId,
                     long reviewItemId,
                     String reason,
                     Instant createdAt) {
}
