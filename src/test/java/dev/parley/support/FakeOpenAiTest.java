package dev.parley.support;

import dev.parley.support.FakeOpenAi.Failure;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fake speaks OpenAI's wire format, so that tests built on it test something real. */
class FakeOpenAiTest {

    private static final JsonMapper JSON = JsonMapper.createDefault();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private FakeOpenAi fake;

    @BeforeEach
    void startFake() {
        fake = FakeOpenAi.start();
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    private record Answer(int status, JsonNode body, HttpResponse<String> raw) {
    }

    private Answer post(String path, String body, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readValue(response.body(), JsonNode.class), response);
    }

    private Answer post(String path, String body) throws IOException, InterruptedException {
        return post(path, body, "Bearer sk-anything");
    }

    private static float[] vector(JsonNode item) {
        JsonNode embedding = item.get("embedding");
        float[] vector = new float[embedding.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = embedding.get(i).getFloatValue();
        }
        return vector;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static String json(Object value) throws IOException {
        return JSON.writeValueAsString(value);
    }

    // ---- embeddings -----------------------------------------------------------------------------

    @Test
    void embeddingsAnswerInOpenAisShapeWithUnitVectorsOfTheDefaultLength() throws Exception {
        Answer answer = post("/embeddings", """
                {"model": "text-embedding-3-small", "input": ["the cat sat on the mat", "stock prices fell"]}""");

        assertEquals(200, answer.status());
        JsonNode body = answer.body();
        assertEquals("list", body.get("object").getStringValue());
        assertEquals("text-embedding-3-small", body.get("model").getStringValue());
        assertTrue(body.get("usage").get("prompt_tokens").getIntValue() > 0);
        assertEquals(body.get("usage").get("prompt_tokens").getIntValue(),
                body.get("usage").get("total_tokens").getIntValue());
        assertEquals(2, body.get("data").size());
        for (int i = 0; i < 2; i++) {
            JsonNode item = body.get("data").get(i);
            assertEquals("embedding", item.get("object").getStringValue());
            assertEquals(i, item.get("index").getIntValue());
            float[] vector = vector(item);
            assertEquals(FakeOpenAi.DEFAULT_DIMENSIONS, vector.length);
            assertEquals(1.0, Math.sqrt(dot(vector, vector)), 1e-5);
        }
        assertEquals(1, fake.embeddingRequests());
        assertEquals(2, fake.embeddingInputs());
        assertEquals(List.of(List.of("the cat sat on the mat", "stock prices fell")), fake.embeddingBatches());
        assertEquals("text-embedding-3-small", fake.lastEmbeddingModel());
    }

    @Test
    void aSingleStringAndRequestedDimensionsAreHonoured() throws Exception {
        Answer answer = post("/embeddings", """
                {"model": "text-embedding-3-small", "input": "hello there", "dimensions": 384}""");

        float[] vector = vector(answer.body().get("data").get(0));
        assertEquals(384, vector.length);
        assertEquals(1.0, Math.sqrt(dot(vector, vector)), 1e-5);
        assertEquals(384, fake.lastEmbeddingDimensions());
    }

    @Test
    void theSameTextAlwaysGetsTheSameVector() throws Exception {
        String request = """
                {"model": "text-embedding-3-small", "input": ["Moderation queues, explained"]}""";

        float[] first = vector(post("/embeddings", request).body().get("data").get(0));
        float[] second = vector(post("/embeddings", request).body().get("data").get(0));

        assertArrayEquals(first, second);
        assertArrayEquals(FakeOpenAi.embeddingOf("Moderation queues, explained", 1536), first);
    }

    @Test
    void textsThatShareWordsAreCloserThanUnrelatedTexts() {
        float[] cat = FakeOpenAi.embeddingOf("The cat sat on the mat", 1536);
        float[] alsoCat = FakeOpenAi.embeddingOf("a cat on a mat", 1536);
        float[] stocks = FakeOpenAi.embeddingOf("Stock prices fell sharply today", 1536);

        assertTrue(dot(cat, alsoCat) > 0.35, "similar: " + dot(cat, alsoCat));
        assertTrue(Math.abs(dot(cat, stocks)) < 0.2, "unrelated: " + dot(cat, stocks));
        assertTrue(dot(cat, alsoCat) > dot(cat, stocks) + 0.2);
    }

    @Test
    void base64EncodingCarriesTheSameLittleEndianFloats() throws Exception {
        Answer answer = post("/embeddings", """
                {"model": "text-embedding-3-small", "input": "hello", "dimensions": 8, "encoding_format": "base64"}""");

        byte[] bytes = Base64.getDecoder().decode(answer.body().get("data").get(0).get("embedding").getStringValue());
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[bytes.length / 4];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = buffer.getFloat();
        }
        assertArrayEquals(FakeOpenAi.embeddingOf("hello", 8), vector);
    }

    @Test
    void moreThan2048InputsAreRefusedLikeOpenAiDoes() throws Exception {
        List<String> inputs = Collections.nCopies(FakeOpenAi.MAX_EMBEDDING_INPUTS + 1, "word");
        Answer refused = post("/embeddings", "{\"model\": \"text-embedding-3-small\", \"input\": " + json(inputs) + "}");

        assertEquals(400, refused.status());
        assertOpenAiError(refused.body(), "invalid_request_error");
        assertEquals(0, fake.embeddingInputs());

        Answer accepted = post("/embeddings", "{\"model\": \"text-embedding-3-small\", \"input\": "
                + json(inputs.subList(0, FakeOpenAi.MAX_EMBEDDING_INPUTS)) + ", \"dimensions\": 4}");
        assertEquals(200, accepted.status());
        assertEquals(FakeOpenAi.MAX_EMBEDDING_INPUTS, accepted.body().get("data").size());
    }

    @Test
    void anEmptyTextOrNoModelIsRefused() throws Exception {
        assertEquals(400, post("/embeddings", "{\"model\": \"text-embedding-3-small\", \"input\": [\"\"]}").status());
        assertEquals(400, post("/embeddings", "{\"input\": [\"hello\"]}").status());
        assertEquals(400, post("/embeddings", "{\"model\": \"m\", \"input\": \"x\", \"dimensions\": 0}").status());
        assertEquals(400, post("/embeddings", "not json").status());
    }

    @Test
    void scriptedEmbeddingFailuresAreUsedOncePerRequestInOrder() throws Exception {
        String request = "{\"model\": \"text-embedding-3-small\", \"input\": \"hello\", \"dimensions\": 4}";
        fake.failNextEmbedding(Failure.rateLimited(3));
        fake.failNextEmbedding(Failure.status(500));

        Answer limited = post("/embeddings", request);
        assertEquals(429, limited.status());
        assertEquals("3", limited.raw().headers().firstValue("Retry-After").orElse(null));
        assertOpenAiError(limited.body(), "requests");
        Answer broken = post("/embeddings", request);
        assertEquals(500, broken.status());
        assertOpenAiError(broken.body(), "server_error");
        assertEquals(200, post("/embeddings", request).status());
        assertEquals(3, fake.embeddingRequests());
        assertEquals(0, fake.moderationRequests());
    }

    // ---- both endpoints -------------------------------------------------------------------------

    @Test
    void aRequestWithoutABearerKeyIsRefusedWithOpenAisErrorShape() throws Exception {
        Answer none = post("/moderations", "{\"input\": [\"hello\"]}", null);
        Answer empty = post("/embeddings", "{\"model\": \"m\", \"input\": \"x\"}", "Bearer  ");

        assertEquals(401, none.status());
        assertOpenAiError(none.body(), "invalid_request_error");
        assertEquals(401, empty.status());
    }

    @Test
    void onlyTheTwoEndpointsExist() throws Exception {
        Answer answer = post("/completions", "{}");

        assertEquals(404, answer.status());
        assertOpenAiError(answer.body(), "invalid_request_error");
        assertEquals("/v1/completions", fake.lastPath());
    }

    @Test
    void moderationAnswersEveryCategoryWithFlagsAndInputTypes() throws Exception {
        fake.scoreWhenContains("kill", "violence", 0.9);
        fake.scoreWhenContains("kill", "violence", 0.6);

        JsonNode body = post("/moderations", "{\"input\": [\"I will KILL it\", \"fine\"]}").body();

        assertTrue(body.get("id").getStringValue().startsWith("modr-"));
        assertEquals("omni-moderation-latest", body.get("model").getStringValue());
        JsonNode first = body.get("results").get(0);
        assertTrue(first.get("flagged").getBooleanValue());
        assertTrue(first.get("categories").get("violence").getBooleanValue());
        assertEquals(0.9, first.get("category_scores").get("violence").getDoubleValue());
        assertEquals(13, first.get("category_scores").size());
        assertEquals("text", first.get("category_applied_input_types").get("hate").get(0).getStringValue());
        assertFalse(body.get("results").get(1).get("flagged").getBooleanValue());
    }

    @Test
    void anOutageLastsUntilRecoveryAndQueuedFailuresComeFirst() throws Exception {
        String request = "{\"input\": \"hello\"}";
        fake.failNext(Failure.status(400));
        fake.failAlways(Failure.status(503));

        assertEquals(400, post("/moderations", request).status());
        assertEquals(503, post("/moderations", request).status());
        assertEquals(503, post("/embeddings", "{\"model\": \"m\", \"input\": \"x\"}").status());
        fake.recover();
        assertEquals(200, post("/moderations", request).status());
    }

    @Test
    void scriptedBodiesAreSentAsTheyAre() throws Exception {
        fake.failNext(Failure.body("{\"results\": ["));

        HttpResponse<String> raw = HTTP.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/moderations"))
                .header("Authorization", "Bearer k").POST(HttpRequest.BodyPublishers.ofString("{\"input\": \"x\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, raw.statusCode());
        assertEquals("{\"results\": [", raw.body());
    }

    @Test
    void everyAnswerCanBeSlowedDown() throws Exception {
        fake.delayEveryAnswer(Duration.ofMillis(200));

        long started = System.nanoTime();
        post("/moderations", "{\"input\": \"x\"}");

        assertTrue((System.nanoTime() - started) / 1_000_000 >= 200);
    }

    @Test
    void concurrentRequestsAreAllCounted() {
        IntStream.range(0, 40).parallel().forEach(i -> {
            try {
                assertEquals(200, post("/moderations", "{\"input\": [\"a\", \"b\"]}").status());
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        assertEquals(40, fake.moderationRequests());
        assertEquals(80, fake.moderationInputs());
        assertEquals(40, fake.moderationBatches().size());
    }

    private static void assertOpenAiError(JsonNode body, String type) {
        JsonNode error = body.get("error");
        assertNotNull(error, "no error object");
        assertTrue(error.get("message").isString());
        assertEquals(type, error.get("type").getStringValue());
        assertNotNull(error.get("param"), "param must be present, even as null");
        assertNotNull(error.get("code"), "code must be present, even as null");
    }
}
