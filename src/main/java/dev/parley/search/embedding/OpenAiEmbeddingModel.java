package dev.parley.search.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.request.EmbeddingInput;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.parley.openai.OpenAiConfig;
import dev.parley.openai.OpenAiErrors;
import dev.parley.openai.OpenAiHttp;
import dev.parley.search.EmbeddingException;
import dev.parley.search.EmbeddingException.Kind;
import dev.parley.search.EmbeddingModel;
import dev.parley.search.embedding.IndexOrderedEmbeddings.MalformedAnswer;
import dev.parley.search.embedding.RetryAfterHttpClient.ErrorAnswer;
import dev.parley.search.embedding.RetryAfterHttpClient.Unreachable;
import io.micronaut.json.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Embeds texts with OpenAI's embeddings endpoint ({@code POST {base}/embeddings}) through langchain4j's
 * {@code OpenAiEmbeddingModel}, as many texts per request as OpenAI's limits and
 * {@code parley.embedding.max-inputs-per-request} allow.
 *
 * <p>langchain4j does not retry here ({@code maxRetries(0)}): the caller's job queue retries with backoff and
 * honours {@link EmbeddingException#retryAfter()}, which {@link RetryAfterHttpClient} keeps from a 429. Its
 * {@code maxSegmentsPerBatch} caps inputs only, so the token budget of a request is kept here.
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
    private static final String SERVICE = "OpenAI embeddings";

    private final String model;
    private final Integer requestedDimensions;
    private final int dimensions;
    private final int maxInputsPerRequest;
    private final String apiKey;
    private final JsonMapper json;
    private final dev.langchain4j.model.openai.OpenAiEmbeddingModel langchain4j;

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
        this.maxInputsPerRequest = Math.min(config.maxInputsPerRequest(), MAX_INPUTS_PER_REQUEST);
        this.apiKey = openAi.apiKey().trim();
        this.json = json;
        // Fails at start-up, not at the first post, when the base URL is not a URL.
        URI.create(openAi.baseUrl() + "/embeddings");
        this.langchain4j = dev.langchain4j.model.openai.OpenAiEmbeddingModel.builder()
                .baseUrl(openAi.baseUrl())
                .apiKey(apiKey)
                .modelName(model)
                .dimensions(requestedDimensions)
                .maxSegmentsPerBatch(maxInputsPerRequest)
                .timeout(config.timeout())
                .maxRetries(0)
                .httpClientBuilder(RetryAfterHttpClient.builder(clock)
                        .wrappedBy(transport -> new IndexOrderedEmbeddings(transport, json)))
                .build();
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
        List<Embedding> embeddings;
        try {
            embeddings = langchain4j.embed(EmbeddingRequest.builder()
                    .inputs(texts.stream().map(EmbeddingInput::from).toList())
                    .build()).embeddings();
        } catch (RuntimeException e) {
            throw failure(e);
        }
        LOG.debug("embeddings request of {} inputs answered in {} ms", texts.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        if (embeddings.size() != texts.size()) {
            throw malformed(embeddings.size() + " embeddings for " + texts.size() + " inputs", null);
        }
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding embedding : embeddings) {
            vectors.add(vectorOf(embedding.vector()));
        }
        return vectors;
    }

    /** What langchain4j threw, as the pipeline's kinds of failure; see {@link #embed(List)}. */
    private EmbeddingException failure(RuntimeException thrown) {
        ErrorAnswer answer = causeOf(thrown, ErrorAnswer.class);
        if (answer != null) {
            String described = OpenAiErrors.describe(SERVICE, answer.statusCode(), answer.body(), apiKey, json);
            return switch (OpenAiHttp.outcomeOf(answer.statusCode())) {
                case RATE_LIMITED -> new EmbeddingException(Kind.RATE_LIMITED, described, answer.retryAfter(), thrown);
                case TRANSIENT -> new EmbeddingException(Kind.TRANSIENT, described, null, thrown);
                case OK, CONFIGURATION -> new EmbeddingException(Kind.CONFIGURATION, described
                        + " (check parley.openai.api-key and base-url, parley.embedding.model and dimensions)",
                        null, thrown);
            };
        }
        Unreachable unreachable = causeOf(thrown, Unreachable.class);
        if (unreachable != null) {
            return new EmbeddingException(Kind.TRANSIENT, unreachable.getMessage(), null, unreachable.getCause());
        }
        MalformedAnswer malformed = causeOf(thrown, MalformedAnswer.class);
        if (malformed != null) {
            return malformed(malformed.getMessage(), malformed.getCause());
        }
        // What is left is langchain4j failing to read a 2xx answer that passed the check.
        return malformed("langchain4j could not read it (" + thrown.getClass().getSimpleName() + ")", thrown);
    }

    private static <T extends Throwable> T causeOf(Throwable thrown, Class<T> type) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    private float[] vectorOf(float[] vector) {
        if (vector.length != dimensions) {
            throw malformed("an embedding of " + vector.length + " dimensions, expected " + dimensions
                    + " (parley.embedding.dimensions)", null);
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
