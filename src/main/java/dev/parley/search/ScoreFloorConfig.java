package dev.parley.search;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.util.Map;

/**
 * The least similarity a semantic match needs to be a result ({@code parley.search.floor.*}): below
 * it, the nearest posts are not answers but noise, and a query with nothing above it gets no results
 * and {@code noGoodMatch: true}. Similarities are cosine similarities, whose spread differs from one
 * model to another, hence a value per model.
 *
 * @param similarity the floor of models without one of their own (0 keeps every match)
 * @param models     floors by model name, e.g. {@code all-minilm-l6-v2: 0.3}
 */
@ConfigurationProperties("parley.search.floor")
record ScoreFloorConfig(@Bindable(defaultValue = "0") double similarity, @Nullable Map<String, Double> models) {
}
