package dev.parley.openai;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * OpenAI settings ({@code parley.openai.*}). Defaults live here as well as in application.yml so
 * that a context (or a test) that sets only the key still gets a working provider.
 *
 * @param apiKey              bearer key; the OpenAI providers exist only when it is set
 * @param baseUrl             any OpenAI-compatible endpoint, including its version path ({@code .../v1})
 * @param moderationModel     model named in moderation requests and recorded with each decision
 * @param timeout             longest wait for one request, connect to last byte
 * @param maxInputsPerRequest moderation texts sent in one request
 */
@ConfigurationProperties("parley.openai")
public record OpenAiConfig(@Nullable String apiKey,
                           @Nullable String baseUrl,
                           @Nullable String moderationModel,
                           @Nullable Duration timeout,
                           @Bindable(defaultValue = "32") int maxInputsPerRequest) {

    static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    static final String DEFAULT_MODERATION_MODEL = "omni-moderation-latest";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final int DEFAULT_MAX_INPUTS_PER_REQUEST = 32;

    public OpenAiConfig {
        // An unset environment variable arrives as "" through ${OPENAI_BASE_URL:}, not as null.
        baseUrl = isBlank(baseUrl) ? DEFAULT_BASE_URL : stripTrailingSlashes(baseUrl.trim());
        moderationModel = isBlank(moderationModel) ? DEFAULT_MODERATION_MODEL : moderationModel.trim();
        timeout = timeout == null || timeout.isZero() || timeout.isNegative() ? DEFAULT_TIMEOUT : timeout;
        maxInputsPerRequest = maxInputsPerRequest <= 0 ? DEFAULT_MAX_INPUTS_PER_REQUEST : maxInputsPerRequest;
    }

    /** Whether a key is configured; a blank one counts as none. */
    public boolean hasApiKey() {
        return !isBlank(apiKey);
    }

    /** {@code {base}/moderations}, whatever path the base URL carries. */
    public String moderationsUrl() {
        return baseUrl + "/moderations";
    }

    /** Never the key itself: records print their components. */
    @Override
    public String toString() {
        return "OpenAiConfig[apiKey=" + (hasApiKey() ? "***" : "none") + ", baseUrl=" + baseUrl
                + ", moderationModel=" + moderationModel + ", timeout=" + timeout
                + ", maxInputsPerRequest=" + maxInputsPerRequest + "]";
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String stripTrailingSlashes(String url) {
        String stripped = url;
        while (stripped.endsWith("/")) {
            stripped = stripped.substring(0, stripped.length() - 1);
        }
        return stripped;
    }
}
