package dev.parley.search;

import dev.parley.common.DomainException;
import dev.parley.forum.PublicThreads;
import dev.parley.common.Problem;
import dev.parley.forum.SearchGateway;
import dev.parley.pipeline.JobQueue;
import dev.parley.pipeline.JobRequest;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.sql.Connection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Thread search by meaning, by keyword or both, and related threads. */
@Singleton
class SearchService implements SearchGateway {

    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 50;
    static final int MAX_QUERY_LENGTH = 500;

    /** How a query is matched; API.md's lowercase names are the wire form. */
    enum Mode {
        SEMANTIC, KEYWORD, HYBRID;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Mode> parse(String wire) {
            return Arrays.stream(values()).filter(mode -> mode.wire().equals(wire)).findFirst();
        }
    }

    @Serdeable
    record ThreadRef(long id, String title, String category) {
    }

    @Serdeable
    record PostRef(long id, String snippet) {
    }

    @Serdeable
    record Result(ThreadRef thread, PostRef post, double score) {
    }

    @Serdeable
    record Results(String query, String mode, long tookMs, List<Result> results) {
    }

    @Serdeable
    record Related(ThreadRef thread, double score) {
    }

    @Serdeable
    record RelatedResults(List<Related> results) {
    }

    private final SearchModels models;
    private final EmbeddingRepository embeddings;
    private final DocumentRepository documents;
    private final JobQueue jobs;
    private final PublicThreads threads;
    private final QueryEmbeddings queryEmbeddings;
    private final TransactionOperations<Connection> transactions;
    private final RankingConfig ranking;

    SearchService(SearchModels models, EmbeddingRepository embeddings, DocumentRepository documents, JobQueue jobs,
                  PublicThreads threads, QueryEmbeddings queryEmbeddings,
                  TransactionOperations<Connection> transactions, RankingConfig ranking) {
        this.models = models;
        this.ranking = ranking;
        this.queryEmbeddings = queryEmbeddings;
        this.transactions = transactions;
        this.embeddings = embeddings;
        this.documents = documents;
        this.jobs = jobs;
        this.threads = threads;
    }

    @Override
    public void published(long postId, int version) {
        jobs.enqueue(JobRequest.of(EmbedTask.KIND, new EmbedTask(postId, version)).uniqueBy(postId + "@" + version));
    }

    /**
     * Threads matching {@code q}, each once with its best published post, best first. Not one
     * transaction: the query is embedded first, holding no pool connection while the model runs,
     * with the model this instance last saw active; the search's statements then share one read-only
     * transaction whose first statement confirms that model (another instance's reindex may have
     * switched it), and the query is embedded again with the new one if not. {@code beforeInference}
     * runs before each embedding the model computes (not for one the query cache answers).
     */
    Results search(String q, String mode, String category, Integer limit, BeforeInference beforeInference) {
        long start = System.nanoTime();
        String query = q == null ? "" : q.strip();
        Mode wanted = modeOf(mode);
        int size = limit == null ? DEFAULT_LIMIT : limit;
        validate(query, wanted, size);
        String slug = category == null || category.isBlank() ? null : category;
        List<Hit> hits;
        if (wanted == Mode.KEYWORD) {
            hits = transactions.executeRead(status -> documents.matching(query, slug, size));
        } else {
            EmbeddingModel model = models.lastSeen();
            Answer answer;
            while ((answer = nearest(model, queryEmbeddings.vector(model, query, beforeInference), query, wanted, slug,
                    size)).hits() == null) {
                model = answer.activeModel();
            }
            hits = answer.hits();
        }
        List<Result> results = hits.stream().map(h -> new Result(new ThreadRef(h.threadId(), h.title(), h.category()),
                new PostRef(h.postId(), h.snippet()), h.score())).toList();
        return new Results(query, wanted.wire(), (System.nanoTime() - start) / 1_000_000, results);
    }

    /** A page of hits, or (hits null) the active model when it was not the one the query was embedded with. */
    private record Answer(List<Hit> hits, EmbeddingModel activeModel) {
    }

    /** One semantic or hybrid search with a vector of {@code model}, in one read-only transaction. */
    private Answer nearest(EmbeddingModel model, float[] vector, String query, Mode wanted, String slug, int size) {
        return transactions.executeRead(status -> {
            EmbeddingModel active = models.confirm(embeddings.prepareIndexWalk());
            if (!active.name().equals(model.name())) {
                return new Answer(null, active);
            }
            return new Answer(wanted == Mode.HYBRID
                    ? fuse(embeddings.nearest(model.name(), model.dimensions(), vector, slug, null, size * 2,
                            ranking.threadWeight()), documents.matching(query, slug, size * 2), ranking.keywordWeight(), size)
                    : embeddings.nearest(model.name(), model.dimensions(), vector, slug, null, size,
                            ranking.threadWeight()), null);
        });
    }

    /** The requested mode, semantic when none is named, null when the name is unknown. */
    private static Mode modeOf(String mode) {
        return mode == null || mode.isBlank() ? Mode.SEMANTIC : Mode.parse(mode).orElse(null);
    }

    /**
     * Threads nearest to a visible thread, excluding the thread itself: its thread vector (title and
     * opening post) is the query, and the others are ranked as a search ranks them.
     */
    @Transactional(readOnly = true)
    RelatedResults related(long threadId, Integer limit) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw DomainException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (!threads.isVisible(threadId)) {
            throw DomainException.notFound("No such thread.");
        }
        EmbeddingModel model = models.confirm(embeddings.prepareIndexWalk());
        return embeddings.threadVector(model.name(), threadId)
                .map(vector -> embeddings.nearest(model.name(), model.dimensions(), vector, null, threadId, size,
                        ranking.threadWeight()))
                .map(hits -> new RelatedResults(hits.stream().map(h -> new Related(
                        new ThreadRef(h.threadId(), h.title(), h.category()), h.score())).toList()))
                .orElseGet(() -> new RelatedResults(List.of()));
    }

    /**
     * Score fusion: a thread scores its semantic score plus {@code keywordWeight} times its keyword
     * score, the convex combination of Bruch, Gai and Ingber ("An Analysis of Fusion Functions for
     * Hybrid Retrieval", ACM TOIS 2023; {@code w} here is their alpha / (1 - alpha)). Both scores are on
     * fixed scales (cosine similarity; the keyword score's share of the query's terms matched, 0 to 1), so
     * they need no per-query normalisation, and unlike reciprocal rank fusion the keyword score's size
     * says how sure it is: a thread with every term of a short identifier query gains much, a thread
     * sharing one word of a long question little, and the semantic order then decides. A thread missing
     * from the semantic list scores that list's lowest (it is no nearer than that), one missing from the
     * keyword list scores 0 there (it shares no term, or fewer than the listed ones).
     */
    static List<Hit> fuse(List<Hit> semantic, List<Hit> keyword, double keywordWeight, int size) {
        double floor = semantic.stream().mapToDouble(Hit::score).min().orElse(0);
        Map<Long, Double> semanticScores = new HashMap<>();
        Map<Long, Double> keywordScores = new HashMap<>();
        Map<Long, Hit> shown = new LinkedHashMap<>();
        // The semantic hit's snippet first: the passage nearest in meaning shows why a thread matched.
        semantic.forEach(hit -> {
            semanticScores.put(hit.threadId(), hit.score());
            shown.putIfAbsent(hit.threadId(), hit);
        });
        keyword.forEach(hit -> {
            keywordScores.put(hit.threadId(), hit.score());
            shown.putIfAbsent(hit.threadId(), hit);
        });
        List<Hit> fused = new ArrayList<>();
        shown.forEach((thread, hit) -> fused.add(new Hit(hit.threadId(), hit.title(), hit.category(), hit.postId(),
                hit.snippet(), semanticScores.getOrDefault(thread, floor)
                        + keywordWeight * keywordScores.getOrDefault(thread, 0.0))));
        fused.sort(Comparator.comparingDouble(Hit::score).reversed().thenComparingLong(Hit::threadId));
        return fused.size() > size ? fused.subList(0, size) : fused;
    }

    /** @param mode null when the request named no known mode */
    private static void validate(String query, Mode mode, int size) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (query.isEmpty() || query.length() > MAX_QUERY_LENGTH) {
            errors.add(new Problem.FieldError("q", "must be 1 to " + MAX_QUERY_LENGTH + " characters"));
        }
        if (query.indexOf('\0') >= 0) {
            errors.add(new Problem.FieldError("q", "must not contain NUL characters"));
        }
        if (mode == null) {
            errors.add(new Problem.FieldError("mode", "must be semantic, keyword or hybrid"));
        }
        if (size < 1 || size > MAX_LIMIT) {
            errors.add(new Problem.FieldError("limit", "must be between 1 and " + MAX_LIMIT));
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
    }
}
