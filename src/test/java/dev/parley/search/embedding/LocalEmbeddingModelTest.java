package dev.parley.search.embedding;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.parley.search.EmbeddingException;
import dev.parley.search.EmbeddingException.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real model, loaded once for the class from the same directory the service uses by default. */
class LocalEmbeddingModelTest {

    private static final Path MODELS = Path.of(System.getProperty("java.io.tmpdir"), "parley-models");
    private static LocalEmbeddingModel model;

    @BeforeAll
    static void load() {
        model = new LocalEmbeddingModel(MODELS, Runtime.getRuntime().availableProcessors());
        long started = System.nanoTime();
        model.embed(List.of("load the model"));
        System.out.printf("LocalEmbeddingModel: loaded and embedded one text in %d ms%n",
                (System.nanoTime() - started) / 1_000_000);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;   // unit vectors
    }

    private static double length(float[] vector) {
        return Math.sqrt(cosine(vector, vector));
    }

    private static float[] one(String text) {
        return model.embed(List.of(text)).get(0);
    }

    @Test
    void describesItself() {
        assertEquals("all-minilm-l6-v2", model.name());
        assertEquals(384, model.dimensions());
        assertEquals(180, model.maxWordsPerInput());
    }

    @Test
    void vectorsHave384DimensionsAndUnitLength() {
        for (String text : List.of("How do I reset my password?", "a", "🙂", "x".repeat(5000))) {
            float[] vector = one(text);
            assertEquals(384, vector.length);
            assertEquals(1.0, length(vector), 1e-5, text);
        }
    }

    @Test
    void theSameTextGivesTheSameVector() {
        float[] first = one("The moderation queue is growing faster than we can review it.");
        float[] second = one("The moderation queue is growing faster than we can review it.");
        assertArrayEquals(first, second);
    }

    @Test
    void aParaphraseIsCloserThanAnUnrelatedText() {
        List<float[]> vectors = model.embed(List.of(
                "How do I reset my password?",
                "I forgot my login credentials and need to change them",
                "The best sourdough needs a long, cold fermentation in the fridge"));

        double paraphrase = cosine(vectors.get(0), vectors.get(1));
        double unrelated = cosine(vectors.get(0), vectors.get(2));
        assertTrue(paraphrase > unrelated + 0.2, "paraphrase " + paraphrase + ", unrelated " + unrelated);
    }

    @Test
    void aBatchComesBackInOrderAndEqualToSingleEmbeds() {
        List<String> texts = IntStream.range(0, 50)
                .mapToObj(i -> "Post " + i + ": " + (i % 2 == 0 ? "my upload fails with error " + i
                        : "which category should hold question " + i + " about " + "votes ".repeat(i)))
                .toList();

        long started = System.nanoTime();
        List<float[]> batch = model.embed(texts);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("LocalEmbeddingModel: 50 texts in %.0f ms, %.0f texts/s on %d processors%n",
                seconds * 1000, 50 / seconds, Runtime.getRuntime().availableProcessors());

        assertEquals(50, batch.size());
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(one(texts.get(i)), batch.get(i), 1e-6f, "text " + i);
        }
    }

    @Test
    void concurrentCallersEachGetTheirOwnVectors() throws Exception {
        List<String> texts = IntStream.range(0, 24).mapToObj(i -> "concurrent text number " + i).toList();
        List<float[]> expected = new ArrayList<>();
        texts.forEach(text -> expected.add(one(text)));

        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<float[]>>> answers = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                List<String> part = texts.subList(c * 6, c * 6 + 6);
                answers.add(callers.submit(() -> model.embed(part)));
            }
            for (int c = 0; c < 4; c++) {
                List<float[]> vectors = answers.get(c).get();
                for (int i = 0; i < 6; i++) {
                    assertArrayEquals(expected.get(c * 6 + i), vectors.get(i), 1e-6f);
                }
            }
        } finally {
            callers.shutdownNow();
        }
    }

    /** The point of loading from a file: the same vectors as langchain4j's own class, without its heap spike. */
    @Test
    void givesLangchain4jsAllMiniLmVectors() {
        String text = "Moderators can lock a thread when a discussion turns into a flame war.";
        float[] theirs = new AllMiniLmL6V2EmbeddingModel().embed(text).content().vector();
        assertArrayEquals(theirs, one(text), 1e-6f);
    }

    @Test
    void nothingToEmbedIsNoWorkAndBlankTextIsRefused() {
        assertEquals(List.of(), model.embed(List.of()));
        assertThrows(IllegalArgumentException.class, () -> model.embed(List.of("fine", " \n")));
    }

    @Test
    void textOfOnlyInvisibleCharactersStillGetsAVector() {
        float[] zeroWidth = one("\u200b");
        assertEquals(1.0, length(zeroWidth), 1e-5);
        assertArrayEquals(zeroWidth, one("\u0001\u200b"), 1e-6f, "both read as the unknown token");
    }

    @Test
    void closingWakesCallersWhoseTextsWereStillQueued() throws Exception {
        LocalEmbeddingModel closing = new LocalEmbeddingModel(MODELS, 1);
        closing.embed(List.of("load"));
        List<String> many = IntStream.range(0, 400).mapToObj(i -> "queued text " + i).toList();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<List<float[]>> answer = caller.submit(() -> closing.embed(many));
            Thread.sleep(100);   // some texts embedded, most still queued
            closing.close();
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> answer.get(30, java.util.concurrent.TimeUnit.SECONDS));
            assertInstanceOf(EmbeddingException.class, e.getCause());
            assertEquals(Kind.TRANSIENT, ((EmbeddingException) e.getCause()).kind());
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void anUnwritableModelDirectoryIsAConfigurationError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        try (LocalEmbeddingModel broken = new LocalEmbeddingModel(file.resolve("models"), 1)) {
            EmbeddingException e = assertThrows(EmbeddingException.class, () -> broken.embed(List.of("hello")));
            assertEquals(Kind.CONFIGURATION, e.kind());
            assertTrue(e.getMessage().contains("parley.embedding.model-dir"), e.getMessage());
        }
    }

    @Test
    void aClosedModelRefusesWorkAsTransient() {
        LocalEmbeddingModel closing = new LocalEmbeddingModel(MODELS, 1);
        assertEquals(384, closing.embed(List.of("before")).get(0).length);
        closing.close();
        EmbeddingException e = assertThrows(EmbeddingException.class, () -> closing.embed(List.of("after")));
        assertEquals(Kind.TRANSIENT, e.kind());
    }
}
