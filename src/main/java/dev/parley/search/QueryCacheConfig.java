package dev.parley.search;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The query-embedding cache ({@code parley.search.query-cache.*}).
 *
 * @param maxMegabytes heap the cached vectors and their query texts may take; 0 turns the cache off.
 *                     An entry of the local model (384 floats and a short query) weighs about 2 KiB,
 *                     so the default 8 MiB keeps roughly 4,000 queries; a 24 GiB machine running a
 *                     1 GiB heap can afford 64–128 MiB (30,000–60,000 queries, or a fifth of that with
 *                     OpenAI's 1,536 dimensions)
 */
@ConfigurationProperties("parley.search.query-cache")
record QueryCacheConfig(@Bindable(defaultValue = "8") int maxMegabytes) {
}
