package dev.parley.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.moderation.HarmCategories;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A stand-in for OpenAI's {@code POST /v1/moderations} and {@code POST /v1/embeddings}, speaking their
 * wire format (shared/reference/openai-moderations-embeddings.openapi.yaml), on 127.0.0.1 and an
 * ephemeral port. Scores are scripted by substring, failures by a FIFO script consumed one per request,
 * and embeddings are a deterministic hashed bag of words, so texts sharing words lie closer together.
 * Thread-safe: requests are served by a pool of threads while a test scripts and reads it.
 */
public final class FakeOpenAi implements AutoCloseable {

    /** The score of every category that no {@link #scoreWhenContains} rule raised. */
    public static final double DEFAULT_SCORE = 0.0001;
    /** Length of an embedding when the request names no {@code dimensions} (text-embedding-3-small's). */
    public static final int DEFAULT_DIMENSIONS = 1536;
    /** OpenAI's limit on the inputs of one embeddings request. */
    public static final int MAX_EMBEDDING_INPUTS = 2048;
    /** Above this score a category counts as flagged in the {@code categories} booleans. */
    static final double FLAG_THRESHOLD = 0.5;

    private static final String DEFAULT_MODERATION_MODEL = "omni-moderation-latest";
    private static final String MODERATIONS = "/v1/moderations";
    private static final String EMBEDDINGS = "/v1/embeddings";
    private static final Pattern WORDS = Pattern.compile("[^\\p{L}\\p{N}]+");
    /** Dimensions each word adds weight to: enough to make collisions between words harmless. */
    private static final int DIMENSIONS_PER_WORD = 3;

    /** A scripted misbehaviour, used once ({@link #failNext}) or until {@link #recover()} ({@link #failAlways}). */
    public sealed interface Failure {

        /** This status with OpenAI's error body ({@code {"error": {"message", "type", "param", "code"}}}). */
        static Failure status(int code) {
            return new Status(code);
        }

        /** 429 with OpenAI's rate-limit error body, and {@code Retry-After} when the seconds are not null. */
        static Failure rateLimited(Integer retryAfterSeconds) {
            return new RateLimited(retryAfterSeconds);
        }

        /** The correct answer, but only after this delay: for client timeouts. */
        static Failure delay(Duration delay) {
            return new Delay(delay);
        }

        /** 200 with exactly this body: truncated JSON, not JSON, a wrong shape, a wrong count... */
        static Failure body(String raw) {
            return new Body(raw);
        }

        /** The connection closes without any answer. */
        static Failure disconnect() {
            return new Disconnect();
        }
    }

    record Status(int code) implements Failure {
    }

    record RateLimited(Integer retryAfterSeconds) implements Failure {
    }

    record Delay(Duration delay) implements Failure {
    }

    record Body(String raw) implements Failure {
    }

    record Disconnect() implements Failure {
    }

    private record ScoreRule(String substring, String category, double score) {
    }

    /** A request the endpoint refuses, with OpenAI's status and error body. */
    private static final class Refusal extends Exception {
        final int status;
        final String type;
        final String param;
        final String code;

        Refusal(int status, String message, String type, String param, String code) {
            super(message, null, false, false);
            this.status = status;
            this.type = type;
            this.param = param;
            this.code = code;
        }

        static Refusal invalid(String message, String param) {
            return new Refusal(400, message, "invalid_request_error", param, null);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final JsonMapper json = JsonMapper.createDefault();

    private final List<ScoreRule> rules = new CopyOnWriteArrayList<>();
    private final Queue<Failure> moderationFailures = new ConcurrentLinkedQueue<>();
    private final Queue<Failure> embeddingFailures = new ConcurrentLinkedQueue<>();
    private volatile Failure outage;
    private volatile Failure embeddingOutage;
    private volatile Duration answerDelay = Duration.ZERO;

    private final AtomicInteger moderationRequests = new AtomicInteger();
    private final AtomicInteger moderationInputs = new AtomicInteger();
    private final AtomicInteger embeddingRequests = new AtomicInteger();
    private final AtomicInteger embeddingInputs = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, AtomicInteger> embeddingInputsByDimensions = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<List<String>> moderationBatches = Collections.synchronizedList(new ArrayList<>());
    private final List<List<String>> embeddingBatches = Collections.synchronizedList(new ArrayList<>());

    private volatile String lastPath;
    private volatile String lastAuthorization;
    private volatile String lastModerationModel;
    private volatile String lastEmbeddingModel;
    private volatile Integer lastEmbeddingDimensions;

    private FakeOpenAi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        AtomicInteger threads = new AtomicInteger();
        // Unbounded, so that delayed answers (benchmarks, timeouts) never queue behind each other.
        executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "fake-openai-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A running fake on an ephemeral port of 127.0.0.1. */
    public static FakeOpenAi start() {
        try {
            return new FakeOpenAi();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** {@code http://127.0.0.1:<port>/v1}, the value for OPENAI_BASE_URL / parley.openai.base-url. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    // ---- scripting ------------------------------------------------------------------------------

    /**
     * Any moderation input containing {@code substring} (ignoring case) gets {@code score} in
     * {@code category}; when several rules match one category the highest score wins. A category outside
     * OpenAI's 13 is answered as an extra key, to test that clients ignore unknown keys.
     */
    public void scoreWhenContains(String substring, String category, double score) {
        rules.add(new ScoreRule(substring.toLowerCase(Locale.ROOT), category, score));
    }

    /** Queues a failure for the next moderation request that carries a key; failures are used in order. */
    public void failNext(Failure failure) {
        moderationFailures.add(failure);
    }

    /** Queues a failure for the next embeddings request that carries a key. */
    public void failNextEmbedding(Failure failure) {
        embeddingFailures.add(failure);
    }

    /** An outage of both endpoints: every request fails this way (after any queued failures) until {@link #recover()}. */
    public void failAlways(Failure failure) {
        outage = failure;
    }

    /** An outage of the embeddings endpoint alone, until {@link #recover()}. */
    public void failAlwaysEmbeddings(Failure failure) {
        embeddingOutage = failure;
    }

    /** Ends an outage and drops the failures still queued. */
    public void recover() {
        outage = null;
        embeddingOutage = null;
        moderationFailures.clear();
        embeddingFailures.clear();
    }

    /** Every answer, failures included, waits this long first (zero by default): a slow provider for benchmarks. */
    public void delayEveryAnswer(Duration delay) {
        answerDelay = delay == null ? Duration.ZERO : delay;
    }

    /** Back to a fresh fake: no rules, no failures, no delay, zero counters. */
    public void reset() {
        rules.clear();
        recover();
        delayEveryAnswer(Duration.ZERO);
        resetCounters();
        lastPath = null;
        lastAuthorization = null;
        lastModerationModel = null;
        lastEmbeddingModel = null;
        lastEmbeddingDimensions = null;
    }

    // ---- observations ---------------------------------------------------------------------------

    /** Requests that reached the moderation endpoint, refused and failed ones included. */
    public int moderationRequests() {
        return moderationRequests.get();
    }

    /** Texts received by the moderation endpoint over all requests. */
    public int moderationInputs() {
        return moderationInputs.get();
    }

    public int embeddingRequests() {
        return embeddingRequests.get();
    }

    public int embeddingInputs() {
        return embeddingInputs.get();
    }

    /** Texts embedded at this vector length: one model's inputs when several are in use. */
    public int embeddingInputs(int dimensions) {
        AtomicInteger count = embeddingInputsByDimensions.get(dimensions);
        return count == null ? 0 : count.get();
    }

    /** The inputs of each moderation request, in arrival order. */
    public List<List<String>> moderationBatches() {
        synchronized (moderationBatches) {
            return List.copyOf(moderationBatches);
        }
    }

    /** The inputs of each embeddings request, in arrival order. */
    public List<List<String>> embeddingBatches() {
        synchronized (embeddingBatches) {
            return List.copyOf(embeddingBatches);
        }
    }

    public void resetCounters() {
        moderationRequests.set(0);
        moderationInputs.set(0);
        embeddingRequests.set(0);
        embeddingInputs.set(0);
        embeddingInputsByDimensions.clear();
        moderationBatches.clear();
        embeddingBatches.clear();
    }

    /** Path and query of the last request to any path, e.g. {@code /v1/moderations}. */
    public String lastPath() {
        return lastPath;
    }

    /** The whole Authorization header of the last request, or null when it had none. */
    public String lastAuthorization() {
        return lastAuthorization;
    }

    /** The model named in the last moderation request (null when it named none). */
    public String lastModerationModel() {
        return lastModerationModel;
    }

    public String lastEmbeddingModel() {
        return lastEmbeddingModel;
    }

    /** The {@code dimensions} of the last embeddings request, or null when it asked for none. */
    public Integer lastEmbeddingDimensions() {
        return lastEmbeddingDimensions;
    }

    /**
     * The embedding the fake answers for {@code text}: a hashed bag of lowercase words, L2-normalised.
     * Deterministic, so tests can compute what a stored vector should be.
     */
    public static float[] embeddingOf(String text, int dimensions) {
        double[] sums = new double[dimensions];
        boolean anyWord = false;
        for (String word : WORDS.split(text.toLowerCase(Locale.ROOT))) {
            if (!word.isEmpty()) {
                addFeature(sums, word);
                anyWord = true;
            }
        }
        if (!anyWord) {
            addFeature(sums, text);   // punctuation only: still a distinct, non-zero vector
        }
        double norm = 0;
        for (double value : sums) {
            norm += value * value;
        }
        norm = Math.sqrt(norm);
        if (norm == 0) {
            // Words that cancelled out exactly (likely only with very few dimensions): still a unit vector.
            sums[(int) Long.remainderUnsigned(fnv1a(text, DIMENSIONS_PER_WORD), dimensions)] = 1;
            norm = 1;
        }
        float[] vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (float) (sums[i] / norm);
        }
        return vector;
    }

    private static void addFeature(double[] sums, String feature) {
        for (int k = 0; k < DIMENSIONS_PER_WORD; k++) {
            long hash = fnv1a(feature, k);
            int dimension = (int) Long.remainderUnsigned(hash, sums.length);
            sums[dimension] += (hash >>> 63) == 0 ? 1.0 : -1.0;
        }
    }

    /** Seeded FNV-1a over the UTF-8 bytes: the same vector for the same text in every JVM and run. */
    private static long fnv1a(String text, int seed) {
        long hash = 0xcbf29ce484222325L ^ (seed * 0x9E3779B97F4A7C15L);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        // Finalise (from SplitMix64) so that the top bit, used as the sign, is well mixed.
        hash = (hash ^ (hash >>> 30)) * 0xbf58476d1ce4e5b9L;
        hash = (hash ^ (hash >>> 27)) * 0x94d049bb133111ebL;
        return hash ^ (hash >>> 31);
    }

    // ---- serving --------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            lastPath = query == null ? path : path + "?" + query;
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            lastAuthorization = authorization;
            byte[] body = readAll(exchange.getRequestBody());
            boolean moderation = MODERATIONS.equals(path);
            if (!moderation && !EMBEDDINGS.equals(path)) {
                sleep(answerDelay);
                refuse(exchange, new Refusal(404, "Invalid URL (" + exchange.getRequestMethod() + " " + path + ")",
                        "invalid_request_error", null, null));
                return;
            }
            if (moderation) {
                moderationRequests.incrementAndGet();
            } else {
                embeddingRequests.incrementAndGet();
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                sleep(answerDelay);
                refuse(exchange, new Refusal(405, "Invalid method for URL (" + exchange.getRequestMethod() + " "
                        + path + ")", "invalid_request_error", null, null));
                return;
            }
            sleep(answerDelay);
            String key = bearerKey(authorization);
            if (key == null) {
                refuse(exchange, new Refusal(401, "You didn't provide an API key. You need to provide your API key"
                        + " in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                        "invalid_request_error", null, null));
                return;
            }
            Failure failure = (moderation ? moderationFailures : embeddingFailures).poll();
            if (failure == null) {
                failure = !moderation && embeddingOutage != null ? embeddingOutage : outage;
            }
            if (failure != null && !(failure instanceof Delay)) {
                fail(exchange, failure, key);
                return;
            }
            if (failure instanceof Delay delay) {
                sleep(delay.delay());
            }
            try {
                JsonNode request = parseRequest(body);
                String answer = moderation ? moderate(request) : embed(request);
                send(exchange, 200, answer, Map.of());
            } catch (Refusal refusal) {
                refuse(exchange, refusal);
            }
        } catch (IOException e) {
            // The client gave up (a timeout test) and closed the connection: nobody to answer.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();   // closing
        }
    }

    private void fail(HttpExchange exchange, Failure failure, String key) throws IOException {
        if (failure instanceof Status status) {
            refuse(exchange, refusalFor(status.code(), key));
        } else if (failure instanceof RateLimited limited) {
            Integer seconds = limited.retryAfterSeconds();
            Map<String, String> headers = seconds == null ? Map.of() : Map.of("Retry-After", String.valueOf(seconds));
            send(exchange, 429, errorBody(new Refusal(429, "Rate limit reached for requests. Please try again in "
                    + (seconds == null ? "a while" : seconds + "s") + ".", "requests", "requests",
                    "rate_limit_exceeded")), headers);
        } else if (failure instanceof Body raw) {
            send(exchange, 200, raw.raw(), Map.of());
        }
        // Disconnect: closing an exchange that sent no headers closes the connection unanswered.
    }

    /** OpenAI's wording for the usual statuses. A 401 quotes the key, so clients can prove they never repeat it. */
    private static Refusal refusalFor(int status, String key) {
        return switch (status) {
            case 400 -> Refusal.invalid("'$.input' is invalid. Please check the API reference.", "input");
            case 401 -> new Refusal(401, "Incorrect API key provided: " + key + ".", "invalid_request_error",
                    null, "invalid_api_key");
            case 403 -> new Refusal(403, "You are not allowed to sample from this model", "invalid_request_error",
                    null, null);
            case 404 -> new Refusal(404, "The model `no-such-model` does not exist or you do not have access to it.",
                    "invalid_request_error", null, "model_not_found");
            case 429 -> new Refusal(429, "Rate limit reached for requests.", "requests", "requests",
                    "rate_limit_exceeded");
            case 500 -> new Refusal(500, "The server had an error while processing your request. Sorry about that!",
                    "server_error", null, null);
            case 503 -> new Refusal(503, "The engine is currently overloaded, please try again later.",
                    "server_error", null, null);
            default -> new Refusal(status, "Scripted failure " + status + ".",
                    status >= 500 ? "server_error" : "invalid_request_error", null, null);
        };
    }

    private JsonNode parseRequest(byte[] body) throws Refusal {
        try {
            JsonNode request = json.readValue(body, JsonNode.class);
            if (request != null && request.isObject()) {
                return request;
            }
        } catch (IOException | RuntimeException e) {
            // answered below
        }
        throw Refusal.invalid("We could not parse the JSON body of your request. (HINT: This likely means you"
                + " aren't using your HTTP library correctly.)", null);
    }

    private String moderate(JsonNode request) throws Refusal {
        String model = stringOr(request.get("model"), null);
        lastModerationModel = model;
        List<String> inputs = texts(request.get("input"), false);
        moderationInputs.addAndGet(inputs.size());
        moderationBatches.add(List.copyOf(inputs));
        StringBuilder out = new StringBuilder(512 * inputs.size() + 128);
        out.append("{\"id\":\"modr-").append(ids.incrementAndGet()).append("\",\"model\":")
                .append(quote(model == null ? DEFAULT_MODERATION_MODEL : model)).append(",\"results\":[");
        for (int i = 0; i < inputs.size(); i++) {
            Map<String, Double> scores = scoresFor(inputs.get(i));
            boolean flagged = scores.values().stream().anyMatch(score -> score >= FLAG_THRESHOLD);
            out.append(i == 0 ? "" : ",").append("{\"flagged\":").append(flagged).append(",\"categories\":{");
            appendEach(out, scores, (category, score) -> quote(category) + ":" + (score >= FLAG_THRESHOLD));
            out.append("},\"category_scores\":{");
            appendEach(out, scores, (category, score) -> quote(category) + ":" + score);
            out.append("},\"category_applied_input_types\":{");
            appendEach(out, scores, (category, score) -> quote(category) + ":[\"text\"]");
            out.append("}}");
        }
        return out.append("]}").toString();
    }

    private Map<String, Double> scoresFor(String input) {
        String lower = input.toLowerCase(Locale.ROOT);
        Map<String, Double> scores = new LinkedHashMap<>();
        HarmCategories.ALL.forEach(category -> scores.put(category, DEFAULT_SCORE));
        Map<String, Double> raised = new LinkedHashMap<>();
        for (ScoreRule rule : rules) {
            if (lower.contains(rule.substring())) {
                raised.merge(rule.category(), rule.score(), Math::max);
            }
        }
        scores.putAll(raised);
        return scores;
    }

    private String embed(JsonNode request) throws Refusal {
        JsonNode modelNode = request.get("model");
        if (modelNode == null || !modelNode.isString() || modelNode.getStringValue().isBlank()) {
            throw Refusal.invalid("You must provide a model parameter", "model");
        }
        String model = modelNode.getStringValue();
        lastEmbeddingModel = model;
        List<String> inputs = texts(request.get("input"), true);
        int dimensions = dimensions(request.get("dimensions"), model);
        String format = stringOr(request.get("encoding_format"), "float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw Refusal.invalid("'" + format + "' is not one of ['float', 'base64'] - 'encoding_format'",
                    "encoding_format");
        }
        embeddingInputs.addAndGet(inputs.size());
        embeddingInputsByDimensions.computeIfAbsent(dimensions, d -> new AtomicInteger()).addAndGet(inputs.size());
        embeddingBatches.add(List.copyOf(inputs));
        StringBuilder out = new StringBuilder(inputs.size() * dimensions * 12 + 128);
        out.append("{\"object\":\"list\",\"data\":[");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = embeddingOf(inputs.get(i), dimensions);
            tokens += Math.max(1, WORDS.split(inputs.get(i).trim()).length);
            out.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
                    .append(",\"embedding\":");
            if (format.equals("base64")) {
                ByteBuffer bytes = ByteBuffer.allocate(4 * dimensions).order(ByteOrder.LITTLE_ENDIAN);
                for (float value : vector) {
                    bytes.putFloat(value);
                }
                out.append('"').append(Base64.getEncoder().encodeToString(bytes.array())).append('"');
            } else {
                out.append('[');
                for (int d = 0; d < dimensions; d++) {
                    out.append(d == 0 ? "" : ",").append(vector[d]);
                }
                out.append(']');
            }
            out.append('}');
        }
        return out.append("],\"model\":").append(quote(model)).append(",\"usage\":{\"prompt_tokens\":")
                .append(tokens).append(",\"total_tokens\":").append(tokens).append("}}").toString();
    }

    private int dimensions(JsonNode node, String model) throws Refusal {
        int nativeDimensions = model.contains("3-large") ? 3072 : DEFAULT_DIMENSIONS;
        if (node == null || node.isNull()) {
            lastEmbeddingDimensions = null;
            return nativeDimensions;
        }
        if (!node.isNumber() || node.getDoubleValue() != Math.rint(node.getDoubleValue())
                || node.getDoubleValue() < 1 || node.getDoubleValue() > nativeDimensions) {
            throw Refusal.invalid("This model does not support specifying dimensions of that size.", "dimensions");
        }
        lastEmbeddingDimensions = node.getIntValue();
        return node.getIntValue();
    }

    /** A string or an array of strings (moderation also takes {"type": "text", "text": ...} parts). */
    private static List<String> texts(JsonNode input, boolean embeddings) throws Refusal {
        List<String> texts = new ArrayList<>();
        if (input != null && input.isString()) {
            texts.add(input.getStringValue());
        } else if (input != null && input.isArray() && input.size() > 0) {
            for (JsonNode item : input.values()) {
                if (item.isString()) {
                    texts.add(item.getStringValue());
                } else if (!embeddings && item.isObject() && item.get("text") != null && item.get("text").isString()) {
                    texts.add(item.get("text").getStringValue());
                } else {
                    throw Refusal.invalid("'$.input' is invalid. Please check the API reference.", "input");
                }
            }
        } else {
            throw Refusal.invalid("'$.input' is invalid. Please check the API reference.", "input");
        }
        if (embeddings && texts.size() > MAX_EMBEDDING_INPUTS) {
            throw Refusal.invalid("'$.input' is invalid. Please check the API reference.", "input");
        }
        if (embeddings && texts.stream().anyMatch(String::isEmpty)) {
            throw Refusal.invalid("'$.input' is invalid. Please check the API reference.", "input");
        }
        return texts;
    }

    private static String bearerKey(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String key = authorization.substring(7).trim();
        return key.isEmpty() ? null : key;
    }

    private void refuse(HttpExchange exchange, Refusal refusal) throws IOException {
        send(exchange, refusal.status, errorBody(refusal), Map.of());
    }

    private static String errorBody(Refusal refusal) {
        return "{\"error\":{\"message\":" + quote(refusal.getMessage()) + ",\"type\":" + quote(refusal.type)
                + ",\"param\":" + quote(refusal.param) + ",\"code\":" + quote(refusal.code) + "}}";
    }

    private static void send(HttpExchange exchange, int status, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static void sleep(Duration duration) throws InterruptedException {
        if (!duration.isZero() && !duration.isNegative()) {
            Thread.sleep(duration.toMillis());
        }
    }

    private static String stringOr(JsonNode node, String fallback) {
        return node != null && node.isString() ? node.getStringValue() : fallback;
    }

    private interface Entry {
        String render(String category, double score);
    }

    private static void appendEach(StringBuilder out, Map<String, Double> scores, Entry entry) {
        boolean first = true;
        for (Map.Entry<String, Double> score : scores.entrySet()) {
            out.append(first ? "" : ",").append(entry.render(score.getKey(), score.getValue()));
            first = false;
        }
    }

    private static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
