package dev.parley.search;

import dev.parley.search.embedding.EmbeddingModels;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which embedding model search answers from. The active model's name lives in the database, so all
 * instances switch together when a reindex run to a new model succeeds. Until then the configured
 * model is recorded as active at first start. A search embeds its query with the model last seen
 * here ({@link #lastSeen}) and checks that guess against the database in the same statement that
 * prepares its index walk ({@link #confirm}), so the check costs no round trip of its own.
 */
@Singleton
class SearchModels {

    private static final Logger LOG = LoggerFactory.getLogger(SearchModels.class);
    static final String ACTIVE_MODEL = "active_model";

    private final EmbeddingModels models;
    private final VectorIndexes indexes;
    private final SearchSettings settings;
    private final ReindexRepository runs;
    private final QueryEmbeddings queryEmbeddings;
    /** The active model as last read from the database; null until the first read. */
    private volatile EmbeddingModel lastSeen;

    SearchModels(EmbeddingModels models, VectorIndexes indexes, SearchSettings settings, ReindexRepository runs,
                 QueryEmbeddings queryEmbeddings) {
        this.models = models;
        this.queryEmbeddings = queryEmbeddings;
        this.indexes = indexes;
        this.settings = settings;
        this.runs = runs;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        recordConfiguredIfNone();
        EmbeddingModel active = active();
        if (!active.name().equals(models.configured().name())) {
            LOG.warn("Search answers from {} (switched by a reindex run), not the configured {}", active.name(),
                    models.configured().name());
        }
        indexes.ensure(active.name(), active.dimensions());
    }

    /** The model search answers from now. */
    @Transactional(readOnly = true)
    EmbeddingModel active() {
        return confirm(settings.findValueByKey(ACTIVE_MODEL).orElse(null));
    }

    /**
     * The active model as this instance last read it, without a round trip: a guess to embed a
     * query with, which the search then checks with {@link #confirm}. Another instance's switch is
     * seen by the next search that checks.
     */
    EmbeddingModel lastSeen() {
        EmbeddingModel seen = lastSeen;
        return seen != null ? seen : active();
    }

    /**
     * The model named by the stored setting just read ({@code storedName}, null when none is stored:
     * the configured model), remembered as the last seen.
     */
    EmbeddingModel confirm(String storedName) {
        String name = storedName == null ? models.configured().name() : storedName;
        EmbeddingModel seen = lastSeen;
        if (seen != null && seen.name().equals(name)) {
            return seen;
        }
        EmbeddingModel model = models.named(name).orElseGet(() -> {
            LOG.warn("The active embedding model {} is not available here; using {}", name, models.configured().name());
            return models.configured();
        });
        lastSeen = model;
        return model;
    }

    /** The models new posts are embedded with: the active one and those that runs are building. */
    @Transactional(readOnly = true)
    List<EmbeddingModel> indexing() {
        Set<String> names = new LinkedHashSet<>();
        names.add(active().name());
        runs.running().forEach(run -> names.add(run.model()));
        List<EmbeddingModel> result = new ArrayList<>();
        names.forEach(name -> models.named(name).ifPresent(result::add));
        return result;
    }

    /** Search answers from {@code model} from the next query on, on every instance. */
    void activate(EmbeddingModel model) {
        settings.put(ACTIVE_MODEL, model.name());
        // The cached query vectors are the old model's; other instances drop theirs on their next query.
        queryEmbeddings.clear();
    }

    java.util.Optional<EmbeddingModel> named(String name) {
        return models.named(name);
    }

    private void recordConfiguredIfNone() {
        settings.putIfAbsent(ACTIVE_MODEL, models.configured().name());
    }
}
