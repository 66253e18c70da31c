package dev.parley.search.embedding;

import dev.parley.openai.OpenAiConfig;
import dev.parley.search.EmbeddingModel;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The one {@link EmbeddingModel} of the application, chosen by {@code parley.embedding.provider}:
 * the local model unless it says "openai".
 */
@Factory
class EmbeddingModelFactory {

    private volatile LocalEmbeddingModel local;

    /**
     * Built with the context ({@code @Context}) so that a wrong setting stops the start instead of the first
     * embedding job; the local model itself still loads on first use.
     */
    @Context
    EmbeddingModel embeddingModel(EmbeddingConfig config, OpenAiConfig openAi, JsonMapper json, Clock clock) {
        return switch (config.provider()) {
            case EmbeddingConfig.LOCAL -> {
                local = local(config);
                yield local;
            }
            case EmbeddingConfig.OPENAI -> {
                if (!openAi.hasApiKey()) {
                    throw new ConfigurationException("PARLEY_EMBEDDING_PROVIDER=openai needs OPENAI_API_KEY");
                }
                yield new OpenAiEmbeddingModel(openAi, config, json, clock);
            }
            default -> throw new ConfigurationException("PARLEY_EMBEDDING_PROVIDER must be local or openai, not '"
                    + config.provider() + "'");
        };
    }

    /** Frees the local model's threads and native memory with the context (tests start many contexts). */
    @PreDestroy
    void close() {
        LocalEmbeddingModel model = local;
        if (model != null) {
            model.close();
        }
    }

    static LocalEmbeddingModel local(EmbeddingConfig config) {
        LocalModel spec = config.model() == null ? LocalModel.named(LocalEmbeddingModel.NAME).orElseThrow()
                : LocalModel.named(config.model()).orElseThrow(() -> new ConfigurationException(
                        "PARLEY_EMBEDDING_MODEL: the local provider has " + java.util.Arrays.stream(LocalModel.values())
                                .map(LocalModel::modelName).collect(java.util.stream.Collectors.joining(" and "))
                                + ", not '" + config.model() + "'"));
        if (config.dimensions() != null && config.dimensions() != LocalEmbeddingModel.DIMENSIONS) {
            throw new ConfigurationException("parley.embedding.dimensions: " + LocalEmbeddingModel.NAME + " has "
                    + LocalEmbeddingModel.DIMENSIONS + " dimensions, not " + config.dimensions());
        }
        Path dir = config.modelDir() != null ? Path.of(config.modelDir())
                : Path.of(System.getProperty("java.io.tmpdir"), "parley-models");
        return new LocalEmbeddingModel(spec, dir, config.threads());
    }
}
