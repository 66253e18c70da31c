package dev.parley.search;

import dev.parley.common.Sql;
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
 * Which embedding model search answers from. The active model's name lives in the database, read
 * on every use, so all instances switch together when a reindex run to a new model succeeds.
 * Until then the configured model is recorded as active at first start.
 */
@Singleton
class SearchModels {

    private static final Logger LOG = LoggerFactory.getLogger(SearchModels.class);
    static final String ACTIVE_MODEL = "active_model";

    private final EmbeddingModels models;
    private final VectorIndexes indexes;
    private final Sql sql;

    SearchModels(EmbeddingModels models, VectorIndexes indexes, Sql sql) {
        this.models = models;
        this.indexes = indexes;
        this.sql = sql;
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
        String name = sql.one("SELECT value FROM search_settings WHERE key = ?", s -> s.setString(1, ACTIVE_MODEL),
                r -> r.getString(1)).orElse(models.configured().name());
        return models.named(name).orElseGet(() -> {
            LOG.warn("The active embedding model {} is not available here; using {}", name, models.configured().name());
            return models.configured();
        });
    }

    /** The models new posts are embedded with: the active one and those that runs are building. */
    @Transactional(readOnly = true)
    List<EmbeddingModel> indexing() {
        Set<String> names = new LinkedHashSet<>();
        names.add(active().name());
        names.addAll(sql.list("SELECT DISTINCT model FROM reindex_runs WHERE state = 'running'", s -> { },
                r -> r.getString(1)));
        List<EmbeddingModel> result = new ArrayList<>();
        names.forEach(name -> models.named(name).ifPresent(result::add));
        return result;
    }

    /** Search answers from {@code model} from the next query on, on every instance. */
    void activate(EmbeddingModel model) {
        sql.update("""
                INSERT INTO search_settings (key, value) VALUES (?, ?)
                ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value""", s -> {
            s.setString(1, ACTIVE_MODEL);
            s.setString(2, model.name());
        });
    }

    java.util.Optional<EmbeddingModel> named(String name) {
        return models.named(name);
    }

    @Transactional
    void recordConfiguredIfNone() {
        sql.update("INSERT INTO search_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", s -> {
            s.setString(1, ACTIVE_MODEL);
            s.setString(2, models.configured().name());
        });
    }
}
