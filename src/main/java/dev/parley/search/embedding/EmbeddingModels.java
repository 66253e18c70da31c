package dev.parley.search.embedding;

import dev.parley.openai.OpenAiConfig;
import dev.parley.search.EmbeddingModel;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every embedding model this instance can use, by name: the configured one, the local model, and
 * OpenAI models when an API key is set. A reindex run to another model and a later switch back
 * both pick their model here.
 */
@Singleton
public class EmbeddingModels {

    private final EmbeddingModel configured;
    private final EmbeddingConfig config;
    private final OpenAiConfig openAi;
    private final JsonMapper json;
    private final Clock clock;
    private final Map<String, EmbeddingModel> created = new ConcurrentHashMap<>();

    EmbeddingModels(EmbeddingModel configured, EmbeddingConfig config, OpenAiConfig openAi, JsonMapper json,
                    Clock clock) {
        this.configured = configured;
        this.config = config;
        this.openAi = openAi;
        this.json = json;
        this.clock = clock;
        created.put(configured.name(), configured);
    }

    /** The model chosen by configuration: the active one until a reindex run switches. */
    public EmbeddingModel configured() {
        return configured;
    }

    /** The model of this name, or empty when this instance cannot run it (an OpenAI model without a key). */
    public Optional<EmbeddingModel> named(String name) {
        EmbeddingModel known = created.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<LocalModel> local = LocalModel.named(name);
        if (local.isPresent()) {
            String localName = local.get().modelName();
            return Optional.of(created.computeIfAbsent(localName, n -> EmbeddingModelFactory.local(
                    new EmbeddingConfig(EmbeddingConfig.LOCAL, localName, null, null, 0, config.threads(),
                            config.modelDir()))));
        }
        // "model" or "model@dimensions", as OpenAiEmbeddingModel names itself.
        var parsed = java.util.regex.Pattern.compile("([A-Za-z0-9._-]{1,80})(?:@([1-9][0-9]{0,3}))?").matcher(name);
        if (!openAi.hasApiKey() || !parsed.matches()) {
            return Optional.empty();
        }
        Integer dimensions = parsed.group(2) == null ? null : Integer.valueOf(parsed.group(2));
        return Optional.of(created.computeIfAbsent(name, n -> new OpenAiEmbeddingModel(openAi,
                new EmbeddingConfig(EmbeddingConfig.OPENAI, parsed.group(1), dimensions, config.timeout(),
                        config.maxInputsPerRequest(), config.threads(), config.modelDir()), json, clock)));
    }

    /** Frees a local model created here; the configured one is closed by its factory. */
    @PreDestroy
    void close() {
        created.values().stream().filter(m -> m != configured && m instanceof LocalEmbeddingModel)
                .forEach(m -> ((LocalEmbeddingModel) m).close());
    }
}
