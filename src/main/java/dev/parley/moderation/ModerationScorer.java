package dev.parley.moderation;

import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores texts with the configured provider. Rules always run; with OpenAI configured, each harm
 * category's score is the higher of the two, and the source of the higher one is remembered.
 */
@Singleton
class ModerationScorer {

    /** Scores of one text and, per category, which provider gave the score used. */
    record Result(HarmScores scores, Map<String, String> sources) {
    }

    /** The outcome for a batch: who scored it and the per-text results in input order. */
    record Scored(String provider, String model, List<Result> results) {
    }

    private final RulesProvider rules;
    private final ModerationProvider openai;

    ModerationScorer(RulesProvider rules, @Nullable @Named("openai") ModerationProvider openai,
                     ModerationConfig config) {
        this.rules = rules;
        String chosen = config.provider() == null || config.provider().isBlank()
                ? (openai != null ? "openai" : "rules") : config.provider();
        switch (chosen) {
            case "rules" -> this.openai = null;
            case "openai" -> {
                if (openai == null) {
                    throw new ConfigurationException("PARLEY_MODERATION_PROVIDER=openai needs OPENAI_API_KEY");
                }
                this.openai = openai;
            }
            default -> throw new ConfigurationException("PARLEY_MODERATION_PROVIDER must be openai or rules");
        }
    }

    /** "openai" or "rules": the provider whose verdict a post waits for. */
    String primary() {
        return openai == null ? rules.name() : openai.name();
    }

    /** Scores with the primary provider and the rules; throws {@link ProviderException} when the provider fails. */
    Scored score(List<String> texts) {
        List<HarmScores> local = rules.score(texts);
        if (openai == null) {
            return new Scored(rules.name(), rules.model(), local.stream().map(s -> only(s, rules.name())).toList());
        }
        List<HarmScores> remote = openai.score(texts);
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            results.add(merge(remote.get(i), local.get(i)));
        }
        return new Scored(openai.name(), openai.model(), results);
    }

    /** The rules alone, when the provider cannot answer. */
    Scored rulesOnly(List<String> texts) {
        return new Scored(rules.name(), rules.model(),
                rules.score(texts).stream().map(s -> only(s, rules.name())).toList());
    }

    private Result merge(HarmScores remote, HarmScores local) {
        Map<String, String> sources = new HashMap<>();
        remote.scores().keySet().forEach(c -> sources.put(c, openai.name()));
        local.scores().forEach((category, score) -> {
            Double other = remote.scores().get(category);
            if (other == null || score > other) {
                sources.put(category, rules.name());
            }
        });
        return new Result(remote.max(local), sources);
    }

    private static Result only(HarmScores scores, String source) {
        Map<String, String> sources = new HashMap<>();
        scores.scores().keySet().forEach(c -> sources.put(c, source));
        return new Result(scores, sources);
    }
}
