package dev.parley.search.embedding;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.Locale;

/**
 * Embedding settings ({@code parley.embedding.*}). Missing values get the defaults below, so a context
 * (or a test) that sets nothing still gets the local model.
 *
 * @param provider            "local" (in-process model, the default) or "openai"
 * @param model               model name; null: the provider's default (all-minilm-l6-v2 / text-embedding-3-small)
 * @param dimensions          openai only: vector length to ask for (text-embedding-3 models shorten on request);
 *                            null: the model's native length
 * @param timeout             openai only: longest wait for one request, connect to last byte
 * @param maxInputsPerRequest openai only: texts per request, at most OpenAI's 2048
 * @param threads             local only: texts embedded at once, one core each; 0: the available processors,
 *                            and never more
 * @param modelDir            local only: where the model is copied out of its jar; null: a directory under
 *                            {@code java.io.tmpdir}
 */
@ConfigurationProperties("parley.embedding")
record EmbeddingConfig(@Nullable String provider,
                       @Nullable String model,
                       @Nullable Integer dimensions,
                       @Nullable Duration timeout,
                       @Bindable(defaultValue = "512") int maxInputsPerRequest,
                       @Bindable(defaultValue = "0") int threads,
                       @Nullable String modelDir) {

    static final String LOCAL = "local";
    static final String OPENAI = "openai";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final int DEFAULT_MAX_INPUTS_PER_REQUEST = 512;
    static final int OPENAI_MAX_INPUTS_PER_REQUEST = 2048;

    EmbeddingConfig {
        // An unset environment variable arrives as "" through ${PARLEY_EMBEDDING_PROVIDER:}, not as null.
        provider = isBlank(provider) ? LOCAL : provider.trim().toLowerCase(Locale.ROOT);
        model = isBlank(model) ? null : model.trim();
        dimensions = dimensions == null || dimensions <= 0 ? null : dimensions;
        timeout = timeout == null || timeout.isZero() || timeout.isNegative() ? DEFAULT_TIMEOUT : timeout;
        maxInputsPerRequest = maxInputsPerRequest <= 0 ? DEFAULT_MAX_INPUTS_PER_REQUEST
                : Math.min(maxInputsPerRequest, OPENAI_MAX_INPUTS_PER_REQUEST);
        // More threads than cores only make the ONNX calls take turns.
        int processors = Runtime.getRuntime().availableProcessors();
        threads = threads <= 0 ? processors : Math.min(threads, processors);
        modelDir = isBlank(modelDir) ? null : modelDir.trim();
    }

    /** Every default: the local model. */
    static EmbeddingConfig defaults() {
        return new EmbeddingConfig(null, null, null, null, 0, 0, null);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
