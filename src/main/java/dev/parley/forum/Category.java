package dev.parley.forum;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

@Serdeable
public record Category(long id, String slug, String name, String description, Instant createdAt) {
}
