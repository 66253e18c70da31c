package dev.parley.search;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/**
 * PostgreSQL's {@code ts_headline} over texts the caller passes: the words matching a query marked
 * with U+0001 before and U+0002 after (characters {@link Highlighter} removes from the texts first),
 * so the marks can be turned into offsets instead of markup.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface HeadlineRepository extends GenericRepository<SearchDocument, Long> {

    /** One marked text, by its 1-based place in the texts passed. */
    @Introspected
    record Marked(long ord, String text) {
    }

    /**
     * For each text (parallel arrays): the whole text with the marks when {@code whole}, else the
     * passage of about 15 to 35 words that ts_headline finds best. {@code terms} is a websearch query.
     */
    @Query("""
            SELECT u.ord, ts_headline('english', u.text, websearch_to_tsquery('english', :terms),
                       CASE WHEN u.whole THEN 'HighlightAll=true' ELSE 'MaxWords=35,MinWords=15' END
                       || ',StartSel=' || chr(1) || ',StopSel=' || chr(2)) AS text
              FROM unnest(CAST(:texts AS text[]), CAST(:whole AS boolean[])) WITH ORDINALITY AS u (text, whole, ord)
             ORDER BY u.ord""")
    List<Marked> mark(String terms, String[] texts, Boolean[] whole);
}
