package dev.parley.search;

import java.util.List;

/**
 * Turns texts into vectors. Implementations: a local in-process model (the default) and OpenAI's
 * embeddings endpoint. Vectors are L2-normalised, so cosine distance ranks them.
 */
public interface EmbeddingModel {

    /** The model's name as stored with its vectors, e.g. "all-minilm-l6-v2" or "text-embedding-3-small". */
    String name();

    /** The length of every vector this model returns. */
    int dimensions();

    /**
     * How many words of text one input may hold before it should be split into chunks (see
     * {@link Chunker}); the model's context window in words, with a safety margin.
     */
    int maxWordsPerInput();

    /**
     * Embeds every text, in order, with as few calls to the backing model or service as its limits allow.
     *
     * @throws EmbeddingException when a remote provider cannot answer; its kind says whether and when to retry
     */
    List<float[]> embed(List<String> texts);

    /**
     * Embeds a search query. Models trained for asymmetric retrieval (BGE) want an instruction before a
     * query that a post does not get; the others embed a query like any text.
     *
     * @throws EmbeddingException when a remote provider cannot answer
     */
    default float[] embedQuery(String query) {
        return embed(List.of(query)).get(0);
    }
}
