package dev.parley.forum;

import dev.parley.common.Rows;
import dev.parley.common.Sql;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@Singleton
class CategoryRepository {

    private final Sql sql;

    CategoryRepository(Sql sql) {
        this.sql = sql;
    }

    List<Category> findAll() {
        return sql.list("SELECT id, slug, name, description, created_at FROM categories ORDER BY name, id",
                s -> { }, CategoryRepository::map);
    }

    Optional<Category> findBySlug(String slug) {
        return sql.one("SELECT id, slug, name, description, created_at FROM categories WHERE slug = ?",
                s -> s.setString(1, slug), CategoryRepository::map);
    }

    /** Throws {@link Sql.UniqueViolation} when the slug exists. */
    Category insert(String slug, String name, String description, Instant now) {
        return sql.one("INSERT INTO categories (slug, name, description, created_at) VALUES (?, ?, ?, ?)"
                        + " RETURNING id, slug, name, description, created_at",
                s -> {
                    s.setString(1, slug);
                    s.setString(2, name);
                    s.setString(3, description);
                    s.setTimestamp(4, Rows.timestamp(now));
                }, CategoryRepository::map).orElseThrow();
    }

    private static Category map(ResultSet row) throws SQLException {
        return new Category(row.getLong("id"), row.getString("slug"), row.getString("name"),
                row.getString("description"), Rows.instant(row, "created_at"));
    }
}
