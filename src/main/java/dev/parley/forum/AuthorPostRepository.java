package dev.parley.forum;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

/** Counts over one author's posts (served by {@code posts_author}). */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface AuthorPostRepository extends GenericRepository<PostRow, Long> {

    @Query("SELECT count(*) FROM posts WHERE author_id = :authorId AND status = 'published' AND id <> :exceptPostId")
    long countPublished(long authorId, long exceptPostId);
}
