package dev.parley.search;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * How search ranks threads ({@code parley.search.ranking.*}); the defaults were tuned on the manual-page
 * relevance benchmark (docs/bench/relevance-manpages.md says how).
 *
 * @param threadWeight  semantic search: the thread vector's share (title and opening post) of a thread's
 *                      distance to the query, 0 to 1; its best-matching passage has the rest
 * @param keywordWeight hybrid search: the keyword ranking's weight in the fusion, the semantic ranking's
 *                      being 1
 */
@ConfigurationProperties("parley.search.ranking")
record RankingConfig(@Bindable(defaultValue = "0.4") double threadWeight,
                     @Bindable(defaultValue = "0.15") double keywordWeight) {

    RankingConfig {
        if (threadWeight < 0 || threadWeight > 1) {
            throw new IllegalArgumentException("parley.search.ranking.thread-weight must be between 0 and 1");
        }
        if (keywordWeight < 0) {
            throw new IllegalArgumentException("parley.search.ranking.keyword-weight must not be negative");
        }
    }
}
