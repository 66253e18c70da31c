package dev.parley.search;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.text.Normalizer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The vectors of search queries, remembered for repeated queries: embedding a query is most of a
 * semantic search's time (and a paid call with OpenAI), and popular queries repeat. Least recently
 * used entries go first once the configured size is reached.
 * <p>
 * Keyed by model name and normalised query text (NFC, whitespace runs collapsed, ends stripped); the
 * normalised text is also what gets embedded, so a hit returns exactly what a miss would compute. A
 * model's vector for a text never changes, so this per-instance memo cannot disagree with another
 * instance; when the active model changes (a reindex run switching here, or another instance's switch
 * seen on the next query) the entries of the old model are dropped at once to free their memory.
 * Counted in {@code parley.search.query.embeddings{result=hit|miss}}.
 */
@Singleton
class QueryEmbeddings {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    /** Per-entry bookkeeping beyond the floats and characters: map node, key and array headers. */
    private static final int ENTRY_OVERHEAD_BYTES = 160;

    private final long maxBytes;
    private final Counter hits;
    private final Counter misses;
    private final LinkedHashMap<String, float[]> vectors = new LinkedHashMap<>(256, 0.75f, true);
    private String model;
    private long bytes;

    QueryEmbeddings(QueryCacheConfig config, MeterRegistry registry) {
        this.maxBytes = Math.max(0, config.maxMegabytes()) * 1024L * 1024L;
        this.hits = Counter.builder("parley.search.query.embeddings").tag("result", "hit")
                .description("Search queries whose vector came from the cache").register(registry);
        this.misses = Counter.builder("parley.search.query.embeddings").tag("result", "miss")
                .description("Search queries embedded by the model").register(registry);
    }

    /**
     * The query's vector under {@code model}, from the cache or embedded now, {@code beforeInference}
     * running first in that case only. Call it outside any transaction: a miss runs the model
     * (milliseconds locally, a network call with OpenAI), and no pool connection should wait on it.
     */
    float[] vector(EmbeddingModel model, String query, BeforeInference beforeInference) {
        String text = normalise(query);
        synchronized (this) {
            if (!model.name().equals(this.model)) {
                clear();
                this.model = model.name();
            }
            float[] cached = vectors.get(text);
            if (cached != null) {
                hits.increment();
                return cached;
            }
        }
        beforeInference.run();
        misses.increment();
        float[] vector = model.embedQuery(text);
        remember(model.name(), text, vector);
        return vector;
    }

    /** Forgets every vector: the active model changed. */
    synchronized void clear() {
        vectors.clear();
        bytes = 0;
    }

    /** Entries held now, for tests and operators. */
    synchronized int size() {
        return vectors.size();
    }

    static String normalise(String query) {
        return WHITESPACE.matcher(Normalizer.normalize(query, Normalizer.Form.NFC)).replaceAll(" ").strip();
    }

    private synchronized void remember(String modelName, String key, float[] vector) {
        long weight = weight(key, vector);
        // A switch of model while this query was embedded: its vector belongs to the old one.
        if (!modelName.equals(model) || weight > maxBytes) {
            return;
        }
        float[] previous = vectors.put(key, vector);
        bytes += weight - (previous == null ? 0 : weight(key, previous));
        Iterator<Map.Entry<String, float[]>> eldest = vectors.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            Map.Entry<String, float[]> entry = eldest.next();
            bytes -= weight(entry.getKey(), entry.getValue());
            eldest.remove();
        }
    }

    private static long weight(String key, float[] vector) {
        return ENTRY_OVERHEAD_BYTES + 2L * key.length() + 4L * vector.length;
    }
}
