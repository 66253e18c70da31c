package dev.parley.search;

import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * Drops semantic matches below the active model's similarity floor ({@link ScoreFloorConfig}). Keyword
 * matches are never dropped: a post that contains the query's words is an answer, whatever its rank.
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

    /** The semantic hits of {@code model} that reach its floor. */
    List<Hit> apply(String model, List<Hit> semantic) {
        double floor = of(model);
        return floor <= 0 ? semantic : semantic.stream().filter(hit -> hit.score() >= floor).toList();
    }
}
