package dev.parley.moderation.openai;

import dev.parley.openai.OpenAiConfig;
import dev.parley.openai.OpenAiHttp;
import dev.parley.moderation.HarmCategories;
import dev.parley.moderation.HarmScores;
import dev.parley.moderation.ModerationProvider;
import dev.parley.moderation.ProviderException;
import dev.parley.moderation.ProviderException.Kind;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Scores texts with OpenAI's moderation endpoint ({@code POST {base}/moderations}), several texts per
 * request, keeping all 13 category scores. Not langchain4j's {@code OpenAiModerationModel}: it exposes only
 * {@code flagged} (its scores hold 7 of the 13 categories), and thresholds need every score.
 *
 * <p>The JDK's HTTP client rather than Micronaut's: it needs no dependency beyond the JDK (Micronaut's
 * client is a test-only dependency of this build), it builds the URL from the configured base exactly as
 * written (no service-id resolution that could drop a {@code /v1}), and its blocking call suits the
 * worker threads this runs on. The whole exchange, body included, is bounded by the configured timeout.
 */
@Singleton
@Named("openai")
@Requires(property = "parley.openai.api-key", pattern = ".*\\S.*")
class OpenAiModerationProvider implements ModerationProvider {

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiModerationProvider.class);

    private final OpenAiConfig config;
    private final JsonMapper json;
    private final OpenAiHttp http;

    @Inject
    OpenAiModerationProvider(OpenAiConfig config, JsonMapper json, Clock clock) {
        if (!config.hasApiKey()) {
            throw new IllegalArgumentException("parley.openai.api-key is not set");
        }
        this.config = config;
        this.json = json;
        // Fails at start-up, not at the first post, when the base URL is not a URL.
        this.http = new OpenAiHttp("OpenAI moderation", URI.create(config.moderationsUrl()), config.apiKey(),
                config.timeout(), json, clock);
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public String model() {
        return config.moderationModel();
    }

    @Override
    public List<HarmScores> score(List<String> texts) {
        List<HarmScores> scores = new ArrayList<>(texts.size());
        int max = config.maxInputsPerRequest();
        for (int from = 0; from < texts.size(); from += max) {
            scores.addAll(scoreChunk(texts.subList(from, Math.min(texts.size(), from + max))));
        }
        return scores;
    }

    private List<HarmScores> scoreChunk(List<String> texts) {
        long started = System.nanoTime();
        OpenAiHttp.Answer answer;
        try {
            answer = http.post(requestBody(texts));
        } catch (OpenAiHttp.Unreachable e) {
            throw new ProviderException(Kind.TRANSIENT, e.getMessage(), null, e.getCause());
        }
        LOG.debug("moderation request of {} inputs answered {} in {} ms", texts.size(), answer.status(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return switch (answer.outcome()) {
            case OK -> parse(answer.body(), texts.size());
            case RATE_LIMITED -> throw new ProviderException(Kind.RATE_LIMITED, http.describe(answer),
                    answer.retryAfter(), null);
            case TRANSIENT -> throw new ProviderException(Kind.TRANSIENT, http.describe(answer));
            case CONFIGURATION -> throw new ProviderException(Kind.CONFIGURATION, http.describe(answer)
                    + " (check parley.openai.api-key, base-url and moderation-model)");
        };
    }

    private byte[] requestBody(List<String> texts) {
        List<JsonNode> inputs = new ArrayList<>(texts.size());
        for (String text : texts) {
            inputs.add(JsonNode.createStringNode(text));
        }
        Map<String, JsonNode> body = new LinkedHashMap<>();
        body.put("model", JsonNode.createStringNode(config.moderationModel()));
        body.put("input", JsonNode.createArrayNode(inputs));
        try {
            return json.writeValueAsBytes(JsonNode.createObjectNode(body));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a moderation request", e);
        }
    }

    private List<HarmScores> parse(byte[] body, int expected) {
        JsonNode root;
        try {
            root = json.readValue(body, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw malformed("the body is not JSON", e);
        }
        if (root == null || !root.isObject()) {
            throw malformed("the body is not a JSON object", null);
        }
        JsonNode results = root.get("results");
        if (results == null || !results.isArray()) {
            throw malformed("no results array", null);
        }
        if (results.size() != expected) {
            throw malformed(results.size() + " results for " + expected + " inputs", null);
        }
        List<HarmScores> scores = new ArrayList<>(expected);
        for (JsonNode result : results.values()) {
            JsonNode categoryScores = result.isObject() ? result.get("category_scores") : null;
            if (categoryScores == null || !categoryScores.isObject()) {
                throw malformed("a result without a category_scores object", null);
            }
            scores.add(scoresOf(categoryScores));
        }
        return scores;
    }

    /**
     * The known categories in their canonical order. A null score is "not scored" (OpenAI answers null
     * for categories a model does not cover); a score of the wrong type is a malformed answer, since
     * skipping it would silently let the text through that category.
     */
    private static HarmScores scoresOf(JsonNode categoryScores) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (String category : HarmCategories.ALL) {
            JsonNode value = categoryScores.get(category);
            if (value == null || value.isNull()) {
                continue;
            }
            if (!value.isNumber()) {
                throw malformed("a non-numeric score for " + category, null);
            }
            double score = value.getDoubleValue();
            if (!Double.isNaN(score)) {
                scores.put(category, Math.min(1.0, Math.max(0.0, score)));
            }
        }
        return new HarmScores(scores);
    }

    private static ProviderException malformed(String why, Throwable cause) {
        return new ProviderException(Kind.MALFORMED, "OpenAI moderation answered unexpectedly: " + why, null, cause);
    }
}
