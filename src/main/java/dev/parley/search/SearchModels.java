package dev.parley.search;

import dev.parley.common.Sql;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

/**
 * The embedding model search uses. The active model's name is recorded in the database so that
 * every instance agrees on it; its vector index is built at start-up.
 */
@Singleton
class SearchModels {

    static final String ACTIVE_MODEL = "active_model";

    private final EmbeddingModel model;
    private final VectorIndexes indexes;
    private final Sql sql;

    SearchModels(EmbeddingModel model, VectorIndexes indexes, Sql sql) {
        this.model = model;
        this.indexes = indexes;
        this.sql = sql;
    }

    EmbeddingModel active() {
        return model;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        indexes.ensure(model.name(), model.dimensions());
        recordActive();
    }

    @Transactional
    void recordActive() {
        sql.update("INSERT INTO search_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", s -> {
            s.setString(1, ACTIVE_MODEL);
            s.setString(2, model.name());
        });
    }
}
