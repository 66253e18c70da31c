package dev.parley.search.embedding;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link LocalModel} (e.g. all-MiniLM-L6-v2) through langchain4j's encoder (the model's pooling, unit vectors), over an ONNX session of our
 * own opened from a file. Thread-safe: ONNX sessions and the tokenizer may be shared. The session runs each call on the calling thread
 * alone: the parallelism is the pool's, and one call using every core while the pool runs one call per
 * core would oversubscribe them. Measured on 2 cores: two one-thread calls at once embed about 480 short
 * texts/s, one two-thread call at a time about 430; only a lone text waits longer (18 ms instead of 11 ms
 * for 180 words).
 */
final class OnnxEncoder extends AbstractInProcessEmbeddingModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxEncoder.class);
    /** BERT's unknown token, as text. */
    private static final String UNREADABLE = "[UNK]";

    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final OnnxBertBiEncoder bert;
    private final String name;

    OnnxEncoder(Path model, Path tokenizer, LocalModel spec) throws OrtException, IOException {
        // Never used: each call carries one text, which langchain4j embeds on the calling thread.
        super(Runnable::run);
        OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions();
        OrtSession opened = null;
        try (InputStream tokenizerJson = Files.newInputStream(tokenizer)) {
            sessionOptions.setIntraOpNumThreads(1);
            sessionOptions.setInterOpNumThreads(1);
            // From a path, ONNX Runtime reads the model into native memory: no copy passes the Java heap.
            opened = OrtEnvironment.getEnvironment().createSession(model.toString(), sessionOptions);
            this.bert = new OnnxBertBiEncoder(OrtEnvironment.getEnvironment(), opened, tokenizerJson,
                    spec.pooling());
        } catch (OrtException | IOException | RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            sessionOptions.close();
            throw e;
        }
        this.name = spec.modelName();
        this.options = sessionOptions;
        this.session = opened;
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return bert;
    }

    @Override
    protected Integer knownDimension() {
        return LocalEmbeddingModel.DIMENSIONS;
    }

    /** The unit vector of one text, on the calling thread. */
    float[] vectorOf(String text) {
        float[] vector;
        try {
            vector = embedAll(List.of(TextSegment.from(text))).content().get(0).vector();
        } catch (IllegalArgumentException nothingToRead) {
            // Only control or format characters (a zero-width space, say): the tokenizer keeps no token
            // and langchain4j refuses. Such a text reads as unknown, and must not fail its job forever.
            vector = embedAll(List.of(TextSegment.from(UNREADABLE))).content().get(0).vector();
        }
        if (vector.length != LocalEmbeddingModel.DIMENSIONS) {
            throw new IllegalStateException(name + " returned " + vector.length + " dimensions");
        }
        float[] unit = UnitVectors.normalizedOrNull(vector);
        if (unit == null) {
            throw new IllegalStateException(name + " returned a vector without a direction");
        }
        return unit;
    }

    /** Frees the native session; only once no call is running. */
    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("could not close the ONNX session: {}", e.getMessage());
        }
        options.close();
    }
}
