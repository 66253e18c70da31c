package dev.parley.search.embedding;

import ai.onnxruntime.OrtException;
import dev.parley.search.EmbeddingException;
import dev.parley.search.EmbeddingException.Kind;
import dev.parley.search.EmbeddingModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link LocalModel} in process (384 dimensions, unit vectors), e.g. all-MiniLM-L6-v2: the model and
 * tokenizer that langchain4j's {@code AllMiniLmL6V2EmbeddingModel} ships in its jar, run through the same
 * langchain4j encoder, so its vectors are that class's vectors.
 *
 * <p>That class itself is not used: its static initialiser reads the 90 MB model from the classpath into a
 * byte array, which needs about 300 MB of heap for a moment. Instead the model and tokenizer are copied once
 * to files (under {@code parley.embedding.model-dir}) and ONNX Runtime opens the file itself, off the heap.
 * Loading waits for the first {@link #embed} so that the service starts in the usual time; the first
 * embedding job pays for it instead (measured on 2 cores: 0.1 s with the files in place, 1.1 s when they
 * are copied first; logged).
 *
 * <p>Threads: every text is one ONNX call, and every call runs on one pool of {@code threads} threads (one
 * ONNX thread each), whichever and however many threads ask. Callers only wait, so concurrent jobs queue
 * for the cores instead of oversubscribing them. Thread-safe.
 */
final class LocalEmbeddingModel implements EmbeddingModel, AutoCloseable {

    /** The default local model's name. */
    static final String NAME = LocalModel.ALL_MINILM_L6_V2.modelName();
    static final int DIMENSIONS = LocalModel.DIMENSIONS;
    /**
     * See {@link LocalModel#MAX_WORDS_PER_INPUT}. Longer inputs are split by langchain4j into 510-piece
     * parts and averaged, which blurs them.
     */
    static final int MAX_WORDS_PER_INPUT = LocalModel.MAX_WORDS_PER_INPUT;

    private static final Logger LOG = LoggerFactory.getLogger(LocalEmbeddingModel.class);
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final LocalModel spec;
    private final Path modelsDir;
    private final int threads;
    private final ThreadPoolExecutor pool;
    private final Object loading = new Object();
    private volatile OnnxEncoder encoder;
    private volatile boolean closed;

    /**
     * @param modelsDir where the model files are copied, one subdirectory per model version
     * @param threads   texts embedded at once, each on one core
     */
    LocalEmbeddingModel(Path modelsDir, int threads) {
        this(LocalModel.ALL_MINILM_L6_V2, modelsDir, threads);
    }

    /**
     * @param spec      which model
     * @param modelsDir where the model files are copied, one subdirectory per model version
     * @param threads   texts embedded at once, each on one core
     */
    LocalEmbeddingModel(LocalModel spec, Path modelsDir, int threads) {
        this.spec = spec;
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.modelsDir = modelsDir;
        this.threads = threads;
        AtomicInteger created = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "parley-embed-" + created.incrementAndGet());
                    // Never holds up JVM exit; an idle model costs no threads (core threads time out).
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public String name() {
        return spec.modelName();
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public int maxWordsPerInput() {
        return MAX_WORDS_PER_INPUT;
    }

    /** A query gets the model's retrieval instruction first (BGE's), a post never does. */
    @Override
    public float[] embedQuery(String query) {
        return embed(List.of(spec.queryPrefix() + query)).get(0);
    }

    /**
     * Embeds each text on the shared pool and returns the vectors in input order.
     *
     * @throws IllegalArgumentException when a text is blank: there is nothing to embed, and callers chunk
     *                                  non-blank text only (a text of invisible characters gets the vector
     *                                  of BERT's unknown token)
     * @throws EmbeddingException       CONFIGURATION when the model cannot be written to its directory or loaded
     */
    @Override
    public List<float[]> embed(List<String> texts) {
        for (String text : texts) {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("cannot embed blank text");
            }
        }
        if (texts.isEmpty()) {
            return List.of();
        }
        OnnxEncoder model = encoder();
        List<Future<float[]>> futures = new ArrayList<>(texts.size());
        try {
            for (String text : texts) {
                futures.add(pool.submit(() -> model.vectorOf(text)));
            }
            List<float[]> vectors = new ArrayList<>(texts.size());
            for (Future<float[]> future : futures) {
                vectors.add(future.get());
            }
            return vectors;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingException(Kind.TRANSIENT, "interrupted while embedding", null, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("the local embedding model failed", cause);
        } catch (CancellationException | RejectedExecutionException e) {
            // Only while closing: the job is retried by another instance or after the restart.
            throw new EmbeddingException(Kind.TRANSIENT, "the local embedding model is shutting down", null, e);
        } finally {
            // A failure or an interrupt leaves nothing queued behind it for the other callers to wait on.
            futures.forEach(future -> future.cancel(false));
        }
    }

    /** Stops the threads and frees the native session; later calls fail as transient. */
    @Override
    public void close() {
        synchronized (loading) {
            closed = true;
            // Texts still queued never run: cancelling them wakes their callers, who then fail as transient.
            pool.shutdownNow().forEach(queued -> ((Future<?>) queued).cancel(false));
            OnnxEncoder loaded = encoder;
            encoder = null;
            if (loaded == null) {
                return;
            }
            try {
                // An ONNX call ignores interrupts; freeing its session under it would crash the JVM.
                if (pool.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    loaded.close();
                } else {
                    LOG.warn("embedding threads still busy after {} s: leaving the ONNX session open",
                            CLOSE_WAIT_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private OnnxEncoder encoder() {
        OnnxEncoder loaded = encoder;
        if (loaded != null) {
            return loaded;
        }
        synchronized (loading) {
            if (closed) {
                throw new EmbeddingException(Kind.TRANSIENT, "the local embedding model is closed", null, null);
            }
            if (encoder == null) {
                encoder = load();
            }
            return encoder;
        }
    }

    private OnnxEncoder load() {
        long started = System.nanoTime();
        Path dir;
        Path model;
        Path tokenizer;
        try {
            long modelSize = resourceSize(spec.modelResource());
            // The size names the directory, so that a new model version never reads an old copy.
            dir = modelsDir.resolve(spec.modelName() + "-" + modelSize);
            model = ModelFiles.copyOnce(resource(spec.modelResource()), modelSize, dir.resolve("model.onnx"));
            tokenizer = ModelFiles.copyOnce(resource(spec.tokenizerResource()), resourceSize(spec.tokenizerResource()),
                    dir.resolve("tokenizer.json"));
        } catch (IOException | RuntimeException e) {
            throw new EmbeddingException(Kind.CONFIGURATION, "cannot copy the local embedding model to " + modelsDir
                    + " (set parley.embedding.model-dir to a writable directory): " + e.getMessage(), null, e);
        }
        keepDjlOffline(modelsDir.resolve("djl"));
        try {
            OnnxEncoder loaded = new OnnxEncoder(model, tokenizer, spec);
            LOG.info("loaded embedding model {} from {} in {} ms ({} threads)", spec.modelName(), dir,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), threads);
            return loaded;
        } catch (OrtException | IOException | RuntimeException e) {
            throw new EmbeddingException(Kind.CONFIGURATION, "cannot load the local embedding model from " + dir
                    + ": " + e.getMessage(), null, e);
        }
    }

    /**
     * DJL (the tokenizer's native library) unpacks its library from its jar, but would download a variant
     * for a GPU it detects, and writes under {@code ~/.djl.ai}, which a container may not allow. Unless
     * the operator configured DJL, it stays offline and writes beside the model.
     */
    private static void keepDjlOffline(Path cacheDir) {
        if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        boolean cacheConfigured = false;
        for (String name : List.of("ENGINE_CACHE_DIR", "DJL_CACHE_DIR")) {
            cacheConfigured |= System.getenv(name) != null || System.getProperty(name) != null;
        }
        if (!cacheConfigured) {
            System.setProperty("ENGINE_CACHE_DIR", cacheDir.toAbsolutePath().toString());
        }
    }

    private URL resource(String name) {
        URL url = LocalEmbeddingModel.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException(name + " is not on the classpath (dependency " + spec.artifact() + ")");
        }
        return url;
    }

    private long resourceSize(String name) throws IOException {
        long size = resource(name).openConnection().getContentLengthLong();
        if (size < 0) {
            throw new IOException("unknown size of " + name);
        }
        return size;
    }
}
