package dev.parley.search;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A post version's keyword-search document. The tsvector column itself is written and matched only
 * inside SQL (to_tsvector, @@), so it has no Java field.
 */
@MappedEntity("search_documents")
record SearchDocument(@Id long postId, int postVersion, Instant updatedAt) {
}
