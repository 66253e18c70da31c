package dev.parley.search.embedding;

import dev.parley.openai.OpenAiConfig;
import dev.parley.search.EmbeddingException;
import dev.parley.search.EmbeddingException.Kind;
import dev.parley.support.FakeOpenAi;
import dev.parley.support.FakeOpenAi.Failure;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiEmbeddingModelTest {

    private static final String KEY = "sk-test-embed-4d2b8e";
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final JsonMapper JSON = JsonMapper.createDefault();

    private FakeOpenAi fake;

    @BeforeEach
    void startFake() {
        fake = FakeOpenAi.start();
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    private static OpenAiEmbeddingModel model(String baseUrl, String modelName, Integer dimensions,
                                              int maxInputsPerRequest, Duration timeout) {
        return new OpenAiEmbeddingModel(new OpenAiConfig(KEY, baseUrl, null, null, 0),
                new EmbeddingConfig("openai", modelName, dimensions, timeout, maxInputsPerRequest, 0, null),
                JSON, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private OpenAiEmbeddingModel model(Integer dimensions) {
        return model(fake.baseUrl(), null, dimensions, 0, Duration.ofSeconds(10));
    }

    private EmbeddingException failure(OpenAiEmbeddingModel model, List<String> texts) {
        return assertThrows(EmbeddingException.class, () -> model.embed(texts));
    }

    private static List<String> texts(int n) {
        return IntStream.range(0, n).mapToObj(i -> "post " + i + " words " + (i * 7 % 13)).toList();
    }

    // ---- answers --------------------------------------------------------------------------------

    @Test
    void fiveThousandTextsGoInRequestsOf512AndComeBackInOrder() {
        List<String> texts = texts(5000);

        List<float[]> vectors = model(64).embed(texts);

        assertEquals(10, fake.embeddingRequests(), "ceil(5000 / 512)");
        assertEquals(5000, fake.embeddingInputs());
        List<List<String>> batches = fake.embeddingBatches();
        for (int r = 0; r < 10; r++) {
            assertEquals(texts.subList(r * 512, Math.min(5000, r * 512 + 512)), batches.get(r), "request " + r);
        }
        assertEquals(5000, vectors.size());
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(FakeOpenAi.embeddingOf(texts.get(i), 64), vectors.get(i), 1e-6f, "text " + i);
        }
    }

    @Test
    void sendsTheModelTheKeyAndTheConfiguredDimensionsToBaseSlashEmbeddings() {
        OpenAiEmbeddingModel model = model(fake.baseUrl() + "/", "text-embedding-3-large", 256, 0,
                Duration.ofSeconds(10));

        List<float[]> vectors = model.embed(List.of("hello there"));

        assertEquals("/v1/embeddings", fake.lastPath());
        assertEquals("Bearer " + KEY, fake.lastAuthorization());
        assertEquals("text-embedding-3-large", fake.lastEmbeddingModel());
        assertEquals(256, fake.lastEmbeddingDimensions());
        assertEquals(256, model.dimensions());
        assertEquals(256, vectors.get(0).length);
    }

    @Test
    void withoutConfiguredDimensionsNoneAreSentAndTheModelsOwnLengthIsExpected() {
        OpenAiEmbeddingModel small = model(null);
        assertEquals("text-embedding-3-small", small.name());
        assertEquals(1536, small.dimensions());
        float[] vector = small.embed(List.of("hello there")).get(0);
        assertNull(fake.lastEmbeddingDimensions());
        assertEquals("text-embedding-3-small", fake.lastEmbeddingModel());
        assertArrayEquals(FakeOpenAi.embeddingOf("hello there", 1536), vector, 1e-6f);

        OpenAiEmbeddingModel large = model(fake.baseUrl(), "text-embedding-3-large", null, 0, Duration.ofSeconds(10));
        assertEquals(3072, large.dimensions());
        assertEquals(3072, large.embed(List.of("hello there")).get(0).length);
        assertEquals(1536, model(fake.baseUrl(), "text-embedding-ada-002", null, 0, Duration.ofSeconds(10))
                .dimensions());
    }

    @Test
    void theUrlIsTheBaseUrlAsWrittenPlusEmbeddings() {
        String withoutVersion = fake.baseUrl().replace("/v1", "");

        EmbeddingException e = failure(model(withoutVersion, null, null, 0, Duration.ofSeconds(10)), List.of("x"));

        assertEquals("/embeddings", fake.lastPath());
        assertEquals(Kind.CONFIGURATION, e.kind(), "the fake serves only /v1/embeddings");
    }

    @Test
    void theConfiguredRequestSizeIsKept() {
        model(fake.baseUrl(), null, 8, 100, Duration.ofSeconds(10)).embed(texts(250));

        assertEquals(List.of(100, 100, 50), fake.embeddingBatches().stream().map(List::size).toList());
    }

    @Test
    void longTextsAreSplitByTheirEstimatedTokens() {
        // 100,000 characters estimate at 33,334 tokens: eight fit under 300k, nine do not.
        List<String> texts = IntStream.range(0, 12).mapToObj(i -> ((char) ('a' + i) + " ").repeat(50_000)).toList();

        List<float[]> vectors = model(8).embed(texts);

        assertEquals(List.of(8, 4), fake.embeddingBatches().stream().map(List::size).toList());
        assertEquals(12, vectors.size());
        assertArrayEquals(FakeOpenAi.embeddingOf(texts.get(11), 8), vectors.get(11), 1e-6f);
    }

    @Test
    void requestsRespectInputAndTokenLimits() {
        assertEquals(List.of(), OpenAiEmbeddingModel.requests(List.of(), 512, 300_000));
        List<String> texts = texts(5000);
        assertEquals(List.of(2048, 2048, 904), OpenAiEmbeddingModel.requests(texts, 2048, 300_000).stream()
                .map(List::size).toList());
        // Each estimates at 10 tokens: 25 per request under 250.
        List<String> thirty = Collections.nCopies(60, "x".repeat(27));
        assertEquals(List.of(25, 25, 10), OpenAiEmbeddingModel.requests(thirty, 512, 250).stream()
                .map(List::size).toList());
        // A text over the budget on its own still goes, alone.
        List<String> huge = List.of("a", "x".repeat(3000), "b");
        assertEquals(List.of(List.of("a"), List.of("x".repeat(3000)), List.of("b")),
                OpenAiEmbeddingModel.requests(huge, 512, 100));
    }

    @Test
    void answersAreOrderedByIndexAndMadeUnitLength() {
        fake.failNextEmbedding(Failure.body("{\"object\":\"list\",\"data\":["
                + "{\"object\":\"embedding\",\"index\":1,\"embedding\":[0,2,0]},"
                + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[3,4,0]}],\"model\":\"m\"}"));

        List<float[]> vectors = model(3).embed(List.of("first", "second"));

        assertArrayEquals(new float[] {0.6f, 0.8f, 0f}, vectors.get(0), 1e-6f);
        assertArrayEquals(new float[] {0f, 1f, 0f}, vectors.get(1), 1e-6f);
    }

    @Test
    void itemsWithoutAnIndexKeepTheirPlaces() {
        fake.failNextEmbedding(Failure.body("{\"object\":\"list\",\"data\":["
                + "{\"object\":\"embedding\",\"embedding\":[0,2,0]},"
                + "{\"object\":\"embedding\",\"embedding\":[3,4,0]}],\"model\":\"m\"}"));

        List<float[]> vectors = model(3).embed(List.of("first", "second"));

        assertArrayEquals(new float[] {0f, 1f, 0f}, vectors.get(0), 1e-6f);
        assertArrayEquals(new float[] {0.6f, 0.8f, 0f}, vectors.get(1), 1e-6f);
    }

    @Test
    void whitespaceIsTextLikeAnyOther() {
        List<float[]> vectors = model(8).embed(List.of(" ", "\n"));

        assertEquals(List.of(List.of(" ", "\n")), fake.embeddingBatches());
        assertEquals(2, vectors.size());
    }

    @Test
    void nothingToEmbedSendsNothingAndEmptyTextIsRefusedBeforeSending() {
        assertEquals(List.of(), model(null).embed(List.of()));
        assertThrows(IllegalArgumentException.class, () -> model(null).embed(List.of("fine", "")));
        assertEquals(0, fake.embeddingRequests());
    }

    // ---- failures -------------------------------------------------------------------------------

    @Test
    void rateLimitedWithRetryAfterCarriesTheDelay() {
        fake.failNextEmbedding(Failure.rateLimited(7));

        EmbeddingException e = failure(model(null), List.of("a", "b"));

        assertEquals(Kind.RATE_LIMITED, e.kind());
        assertEquals(Duration.ofSeconds(7), e.retryAfter());
        assertTrue(e.getMessage().contains("429"), e.getMessage());
    }

    @Test
    void rateLimitedWithoutRetryAfterLeavesTheDelayToTheCaller() {
        fake.failNextEmbedding(Failure.rateLimited(null));

        EmbeddingException e = failure(model(null), List.of("a"));

        assertEquals(Kind.RATE_LIMITED, e.kind());
        assertNull(e.retryAfter());
    }

    @Test
    void retryAfterReadsSecondsAndDates() {
        assertEquals(Duration.ofMillis(1500), dev.parley.openai.OpenAiErrors.retryAfter("1.5", NOW));
        assertEquals(Duration.ofSeconds(30), dev.parley.openai.OpenAiErrors.retryAfter("Sat, 01 Mar 2025 12:00:30 GMT", NOW));
        assertEquals(Duration.ZERO, dev.parley.openai.OpenAiErrors.retryAfter("Sat, 01 Mar 2025 11:00:00 GMT", NOW));
        assertNull(dev.parley.openai.OpenAiErrors.retryAfter("soon", NOW));
        assertNull(dev.parley.openai.OpenAiErrors.retryAfter("-3", NOW));
        assertNull(dev.parley.openai.OpenAiErrors.retryAfter(null, NOW));
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 408})
    void serverErrorsAreTransient(int status) {
        fake.failNextEmbedding(Failure.status(status));

        EmbeddingException e = failure(model(null), List.of("a"));

        assertEquals(Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().contains(String.valueOf(status)), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "this is not json",
            "{\"data\":[",
            "[]",
            "{\"object\":\"list\"}",
            "{\"data\":[]}",
            "{\"data\":[{\"index\":0,\"embedding\":[1,0,0]},{\"index\":1,\"embedding\":[0,1,0]},"
                    + "{\"index\":2,\"embedding\":[0,0,1]}]}",
            "{\"data\":[{\"index\":0,\"embedding\":[1,0,0,0]},{\"index\":1,\"embedding\":[0,1,0]}]}",
            "{\"data\":[{\"index\":0,\"embedding\":[1,0,0]},{\"index\":0,\"embedding\":[0,1,0]}]}",
            "{\"data\":[{\"index\":0,\"embedding\":[1,0,0]},{\"index\":2,\"embedding\":[0,1,0]}]}",
            "{\"data\":[{\"index\":0,\"embedding\":[1,0,0]},{\"index\":1,\"embedding\":[0,0,0]}]}",
            "{\"data\":[{\"index\":0,\"embedding\":[1,0,0]},{\"index\":1,\"embedding\":\"AAAA\"}]}",
            "{\"data\":[{\"index\":0,\"embedding\":[1,0,0]},{\"index\":1,\"embedding\":[0,\"1\",0]}]}"
    })
    void malformedAnswersAreTransient(String body) {
        fake.failNextEmbedding(Failure.body(body));

        EmbeddingException e = failure(model(3), List.of("first", "second"));

        assertEquals(Kind.TRANSIENT, e.kind(), e.getMessage());
    }

    @Test
    void aDroppedConnectionIsTransient() {
        fake.failNextEmbedding(Failure.disconnect());

        assertEquals(Kind.TRANSIENT, failure(model(null), List.of("a")).kind());
    }

    @Test
    void aSlowAnswerTimesOutAsTransient() {
        fake.failNextEmbedding(Failure.delay(Duration.ofSeconds(3)));
        OpenAiEmbeddingModel model = model(fake.baseUrl(), null, null, 0, Duration.ofMillis(300));

        long started = System.nanoTime();
        EmbeddingException e = failure(model, List.of("a"));

        assertEquals(Kind.TRANSIENT, e.kind());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(2).toNanos(), "gave up at the timeout");
    }

    @Test
    void nothingListensIsTransient() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String closed = "http://127.0.0.1:" + port + "/v1";

        assertEquals(Kind.TRANSIENT, failure(model(closed, null, null, 0, Duration.ofSeconds(2)), List.of("a")).kind());
    }

    @Test
    void aRefusedKeyIsAConfigurationErrorThatNeverShowsTheKey() {
        fake.failNextEmbedding(Failure.status(401));

        EmbeddingException e = failure(model(null), List.of("a"));

        assertEquals(Kind.CONFIGURATION, e.kind());
        assertTrue(e.getMessage().contains("401"), e.getMessage());
        assertTrue(e.getMessage().contains("Incorrect API key"), "OpenAI's explanation is kept: " + e.getMessage());
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 403, 404})
    void otherRefusalsAreConfigurationErrors(int status) {
        fake.failNextEmbedding(Failure.status(status));

        assertEquals(Kind.CONFIGURATION, failure(model(null), List.of("a")).kind());
    }

    /** langchain4j retries 429 and 5xx on its own unless told not to; the pipeline's retries are the only ones. */
    @ParameterizedTest
    @ValueSource(ints = {400, 429, 500, 503})
    void eachRefusalIsOneRequestAndRetryingIsLeftToTheCaller(int status) {
        fake.failNextEmbedding(status == 429 ? Failure.rateLimited(3) : Failure.status(status));

        EmbeddingException e = failure(model(null), List.of("a"));

        assertEquals(1, fake.embeddingRequests());
        assertEquals(status == 400 ? Kind.CONFIGURATION : status == 429 ? Kind.RATE_LIMITED : Kind.TRANSIENT,
                e.kind());
    }

    @Test
    void aBadRequestSaysWhatOpenAiObjectedTo() {
        fake.failNextEmbedding(Failure.status(400));

        EmbeddingException e = failure(model(null), List.of("a"));

        assertEquals(Kind.CONFIGURATION, e.kind());
        assertNull(e.retryAfter());
        assertTrue(e.getMessage().startsWith("OpenAI embeddings answered 400: '$.input' is invalid"), e.getMessage());
    }

    @Test
    void aFailedRequestFailsTheWholeCall() {
        fake.failNextEmbedding(Failure.delay(Duration.ZERO));   // the first request succeeds
        fake.failNextEmbedding(Failure.status(500));

        EmbeddingException e = failure(model(fake.baseUrl(), null, 8, 10, Duration.ofSeconds(5)), texts(25));

        assertEquals(Kind.TRANSIENT, e.kind());
        assertEquals(2, fake.embeddingRequests(), "stops at the first failure");
    }
}
