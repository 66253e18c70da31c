package dev.parley.forum;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A row of {@code categories}. */
@MappedEntity("categories")
record CategoryRow(@Id @GeneratedValue @Nullable Long id, String slug, String name, String description,
                   Instant createdAt) {

    static CategoryRow newCategory(String slug, String name, String description, Instant now) {
        return new CategoryRow(null, slug, name, description, now);
    }

    Category view() {
        return new Category(id, slug, name, description, createdAt);
    }
}
