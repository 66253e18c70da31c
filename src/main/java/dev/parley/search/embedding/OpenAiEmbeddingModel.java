package dev.parley.search.embedding;

import dev.parley.openai.OpenAiHttp;
import dev.parley.openai.OpenAiConfig;
import dev.parley.search.EmbeddingException;
import dev.parley.search.EmbeddingException.Kind;
import dev.parley.search.EmbeddingModel;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Embeds texts with OpenAI's embeddings endpoint ({@code POST {base}/embeddings}), as many texts per request
 * as OpenAI's limits and {@code parley.embedding.max-inputs-per-request} allow.
 *
 * <p>Like the moderation provider, this uses the JDK's HTTP client (Micronaut's is a test-only dependency),
 * builds the URL from the configured base exactly as written, follows no redirects (they would resend the
 * key elsewhere), and bounds each whole exchange by the configured timeout. It does not retry: the caller's
 * job queue retries with backoff, and honours {@link EmbeddingException#retryAfter()}.
 */
final class OpenAiEmbeddingModel implements EmbeddingModel {

    static final String DEFAULT_MODEL = "text-embedding-3-small";
    /** OpenAI's limit on the inputs of one request. */
    static final int MAX_INPUTS_PER_REQUEST = 2048;
    /** OpenAI's limit on the tokens of one request, summed over its inputs. */
    static final long MAX_TOKENS_PER_REQUEST = 300_000;
    /**
     * One input may hold 8192 tokens. English runs about 1.3 tokens per word, but code, numbers and URLs run
     * higher; 5000 words leaves room for 1.6.
     */
    static final int MAX_WORDS_PER_INPUT = 5000;

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiEmbeddingModel.class);
    /** Longest slice of OpenAI's error message carried into an exception message. */

    private final String model;
    private final Integer requestedDimensions;
    private final int dimensions;
    private final Duration timeout;
    private final int maxInputsPerRequest;
    private final JsonMapper json;
    private final OpenAiHttp http;

    /**
     * @param openAi the key and base URL shared with moderation; the key must be set
     * @param config model, dimensions, timeout and request size
     */
    OpenAiEmbeddingModel(OpenAiConfig openAi, EmbeddingConfig config, JsonMapper json, Clock clock) {
        if (!openAi.hasApiKey()) {
            throw new IllegalArgumentException("parley.openai.api-key is not set");
        }
        this.model = config.model() == null ? DEFAULT_MODEL : config.model();
        this.requestedDimensions = config.dimensions();
        this.dimensions = requestedDimensions != null ? requestedDimensions : nativeDimensions(model);
        this.timeout = config.timeout();
        this.maxInputsPerRequest = Math.min(config.maxInputsPerRequest(), MAX_INPUTS_PER_REQUEST);
        this.json = json;
        // Fails at start-up, not at the first post, when the base URL is not a URL.
        this.http = new OpenAiHttp("OpenAI embeddings", URI.create(openAi.baseUrl() + "/embeddings"),
                openAi.apiKey(), timeout, json, clock);
    }

    /** The length OpenAI returns when the request names no dimensions. */
    static int nativeDimensions(String model) {
        return model.contains("text-embedding-3-large") ? 3072 : 1536;
    }

    /**
     * The model, and the dimensions when they are not the model's own ("text-embedding-3-small@256"):
     * vectors of different sizes are different models to search, stored and indexed apart.
     */
    @Override
    public String name() {
        return requestedDimensions == null ? model : model + "@" + requestedDimensions;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public int maxWordsPerInput() {
        return MAX_WORDS_PER_INPUT;
    }

    /**
     * Embeds the texts in as few requests as the limits allow, one request after another, and returns the
     * vectors in input order. Either every text is embedded or the call throws.
     *
     * @throws IllegalArgumentException when a text is empty (OpenAI refuses it, which would look like a
     *                                  configuration error)
     * @throws EmbeddingException       RATE_LIMITED (429, with Retry-After), TRANSIENT (5xx, timeout, connection
     *                                  failure, malformed answer) or CONFIGURATION (any other refusal)
     */
    @Override
    public List<float[]> embed(List<String> texts) {
        for (String text : texts) {
            if (text == null || text.isEmpty()) {
                throw new IllegalArgumentException("cannot embed empty text");
            }
        }
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (List<String> request : requests(texts, maxInputsPerRequest, MAX_TOKENS_PER_REQUEST)) {
            vectors.addAll(embedRequest(request));
        }
        return vectors;
    }

    /**
     * Consecutive runs of {@code texts}, each of at most {@code maxInputs} texts and at most {@code maxTokens}
     * estimated tokens; a text over the token budget on its own goes alone (OpenAI will say if it is too long).
     */
    static List<List<String>> requests(List<String> texts, int maxInputs, long maxTokens) {
        List<List<String>> requests = new ArrayList<>();
        int from = 0;
        long tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            long estimate = estimatedTokens(texts.get(i));
            if (i > from && (i - from == maxInputs || tokens + estimate > maxTokens)) {
                requests.add(texts.subList(from, i));
                from = i;
                tokens = 0;
            }
            tokens += estimate;
        }
        if (from < texts.size()) {
            requests.add(texts.subList(from, texts.size()));
        }
        return requests;
    }

    /**
     * An upper estimate: OpenAI's tokenizer averages about four characters of English per token; three
     * leaves room for other languages and code.
     */
    static long estimatedTokens(String text) {
        return text.length() / 3 + 1;
    }

    private List<float[]> embedRequest(List<String> texts) {
        long started = System.nanoTime();
        OpenAiHttp.Answer answer;
        try {
            answer = http.post(requestBody(texts));
        } catch (OpenAiHttp.Unreachable e) {
            throw new EmbeddingException(Kind.TRANSIENT, e.getMessage(), null, e.getCause());
        }
        LOG.debug("embeddings request of {} inputs answered {} in {} ms", texts.size(), answer.status(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return switch (answer.outcome()) {
            case OK -> parse(answer.body(), texts.size());
            case RATE_LIMITED -> throw new EmbeddingException(Kind.RATE_LIMITED, http.describe(answer),
                    answer.retryAfter(), null);
            case TRANSIENT -> throw new EmbeddingException(Kind.TRANSIENT, http.describe(answer), null, null);
            case CONFIGURATION -> throw new EmbeddingException(Kind.CONFIGURATION, http.describe(answer)
                    + " (check parley.openai.api-key and base-url, parley.embedding.model and dimensions)",
                    null, null);
        };
    }

    private byte[] requestBody(List<String> texts) {
        List<JsonNode> inputs = new ArrayList<>(texts.size());
        for (String text : texts) {
            inputs.add(JsonNode.createStringNode(text));
        }
        Map<String, JsonNode> body = new LinkedHashMap<>();
        body.put("model", JsonNode.createStringNode(model));
        body.put("input", JsonNode.createArrayNode(inputs));
        if (requestedDimensions != null) {
            body.put("dimensions", JsonNode.createNumberNode(requestedDimensions));
        }
        try {
            return json.writeValueAsBytes(JsonNode.createObjectNode(body));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write an embeddings request", e);
        }
    }

    /** {@code data[i].embedding}, placed by {@code data[i].index}; every vector checked and made unit length. */
    private List<float[]> parse(byte[] body, int expected) {
        JsonNode root;
        try {
            root = json.readValue(body, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw malformed("the body is not JSON", e);
        }
        JsonNode data = root != null && root.isObject() ? root.get("data") : null;
        if (data == null || !data.isArray()) {
            throw malformed("no data array", null);
        }
        if (data.size() != expected) {
            throw malformed(data.size() + " embeddings for " + expected + " inputs", null);
        }
        float[][] vectors = new float[expected][];
        int position = 0;
        for (JsonNode item : data.values()) {
            int index = indexOf(item, position++, expected);
            if (vectors[index] != null) {
                throw malformed("index " + index + " twice", null);
            }
            vectors[index] = vectorOf(item.get("embedding"));
        }
        return List.of(vectors);
    }

    /** The item's {@code index}; OpenAI always sends it, a compatible server that does not keeps the order. */
    private static int indexOf(JsonNode item, int position, int expected) {
        if (item == null || !item.isObject()) {
            throw malformed("a data item that is not an object", null);
        }
        JsonNode index = item.get("index");
        if (index == null || index.isNull()) {
            return position;
        }
        if (!index.isNumber() || index.getDoubleValue() != Math.rint(index.getDoubleValue())
                || index.getDoubleValue() < 0 || index.getDoubleValue() >= expected) {
            throw malformed("index " + index + " outside 0.." + (expected - 1), null);
        }
        return index.getIntValue();
    }

    private float[] vectorOf(JsonNode embedding) {
        if (embedding == null || !embedding.isArray()) {
            throw malformed("an embedding that is not an array of numbers", null);
        }
        if (embedding.size() != dimensions) {
            throw malformed("an embedding of " + embedding.size() + " dimensions, expected " + dimensions
                    + " (parley.embedding.dimensions)", null);
        }
        float[] vector = new float[dimensions];
        int i = 0;
        for (JsonNode value : embedding.values()) {
            if (!value.isNumber()) {
                throw malformed("an embedding with a non-numeric value", null);
            }
            vector[i++] = value.getFloatValue();
        }
        float[] unit = UnitVectors.normalizedOrNull(vector);
        if (unit == null) {
            throw malformed("an embedding without a direction (zero or not finite)", null);
        }
        return unit;
    }

    private static EmbeddingException malformed(String why, Throwable cause) {
        return new EmbeddingException(Kind.TRANSIENT, "OpenAI embeddings answered unexpectedly: " + why, null, cause);
    }
}
