package dev.parley.search;

import jakarta.inject.Singleton;

import java.util.Map;

/**
 * The active model's similarity floor ({@link ScoreFloorConfig}): semantic matches whose best passage is
 * less similar are dropped in the index walk. Keyword matches are never dropped: a post that contains the
 * query's words is an answer, whatever its rank.
 */
@Singleton
class ScoreFloor {

    private final ScoreFloorConfig config;

    ScoreFloor(ScoreFloorConfig config) {
        this.config = config;
    }

    /** The floor in force for a model. */
    double of(String model) {
        Map<String, Double> models = config.models();
        Double own = models == null ? null : models.get(model);
        return own != null ? own : config.similarity();
    }
}
