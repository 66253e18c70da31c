package dev.parley.search;

import dev.parley.auth.Usernames;
import dev.parley.common.DomainException;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import dev.parley.forum.PublicThreads;
import dev.parley.common.Problem;
import dev.parley.forum.SearchGateway;
import dev.parley.pipeline.JobQueue;
import dev.parley.pipeline.JobRequest;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import dev.parley.common.ReplicaRead;
import dev.parley.common.ReplicaRouting;
import dev.parley.common.WalPosition;
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
import java.util.function.Supplier;

/** Thread search by meaning, by keyword or both, and related threads. */
@Singleton
class SearchService implements SearchGateway {

    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 50;
    static final int MAX_QUERY_LENGTH = 500;
    /**
     * Threads of each mode that hybrid search fuses, whatever the page: fusing deeper lists for deeper
     * pages would change the scores of threads found by only one list, so pages would repeat or skip
     * threads. Hybrid results therefore end after the fusion of these (at most twice as many threads).
     */
    static final int HYBRID_LIST_DEPTH = 2 * MAX_LIMIT;

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
    record PostRef(long id, String snippet, Highlight highlight) {
    }

    @Serdeable
    record Result(ThreadRef thread, PostRef post, double score) {
    }

    /**
     * @param nextCursor  the next page's cursor, null on the last page
     * @param noGoodMatch true when the first page is empty: nothing matched, or nothing close enough
     *                    (the score floor)
     */
    @Serdeable
    record Results(String query, String mode, long tookMs, List<Result> results,
                   @Schema(description = "Cursor of the next page of results (pass it as `cursor` with the same "
                           + "q, mode and filters), null on the last page", nullable = true) @Nullable String nextCursor,
                   @Schema(description = "True when the first page is empty: nothing matched, or no semantic "
                           + "match reached the score floor") boolean noGoodMatch) {
    }

    /** The request's narrowing and paging, as given (text, checked here). */
    record Narrowing(@Nullable String category, @Nullable String author, @Nullable String since,
                     @Nullable String until, @Nullable String cursor) {

        static final Narrowing NONE = new Narrowing(null, null, null, null, null);
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
    private final ScoreFloor floor;
    private final Highlighter highlighter;
    private final Usernames usernames;
    private final RankingConfig ranking;
    private final ReplicaRouting replica;

    SearchService(SearchModels models, EmbeddingRepository embeddings, DocumentRepository documents, JobQueue jobs,
                  PublicThreads threads, QueryEmbeddings queryEmbeddings,
                  TransactionOperations<Connection> transactions, ScoreFloor floor, Highlighter highlighter,
                  Usernames usernames, RankingConfig ranking, ReplicaRouting replica) {
        this.models = models;
        this.replica = replica;
        this.floor = floor;
        this.highlighter = highlighter;
        this.usernames = usernames;
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
        return search(q, mode, limit, new Narrowing(category, null, null, null, null), beforeInference);
    }

    /**
     * {@link #search(String, String, String, Integer, BeforeInference)} narrowed by category, author
     * and date ({@link SearchFilter}) and paged by cursor ({@link ResultPages}); each result carries its
     * highlight ({@link Highlighter}), and semantic matches below the score floor are left out
     * ({@link ScoreFloor}).
     */
    Results search(String q, String mode, Integer limit, Narrowing narrowing, BeforeInference beforeInference) {
        return search(q, mode, limit, narrowing, () -> WalPosition.START, beforeInference);
    }

    /**
     * {@link #search(String, String, Integer, Narrowing, BeforeInference)} for a caller whose last write
     * ended at {@code lastWriteOfCaller}: its statements run on the read replica once the replica shows
     * that write ({@link ReplicaRouting}), the rate limit's charge in {@code beforeInference} on the
     * primary. The caller's last write is asked for only when a replica is configured.
     */
    Results search(String q, String mode, Integer limit, Narrowing narrowing,
                   Supplier<WalPosition> lastWriteOfCaller, BeforeInference beforeInference) {
        WalPosition lastWrite = replica.configured() ? lastWriteOfCaller.get() : WalPosition.START;
        long start = System.nanoTime();
        String query = q == null ? "" : q.strip();
        Mode wanted = modeOf(mode);
        int size = limit == null ? DEFAULT_LIMIT : limit;
        validate(query, wanted, size);
        SearchFilters.Parsed parsed = SearchFilters.parse(narrowing);
        String digest = ResultPages.digest(query, wanted.wire(), parsed.filter(), parsed.author());
        ResultPages.Position after = ResultPages.decode(narrowing.cursor(), digest);
        Optional<SearchFilter> filter = parsed.author() == null ? Optional.of(parsed.filter())
                : usernames.idOf(parsed.author()).map(parsed::byAuthor);
        if (filter.isEmpty()) {
            // Nobody has that username, so nobody wrote a matching post: nothing to embed or walk.
            return new Results(query, wanted.wire(), (System.nanoTime() - start) / 1_000_000, List.of(), null,
                    after == null);
        }
        ResultPages.Page page;
        EmbeddingModel highlightModel;
        if (wanted == Mode.KEYWORD) {
            page = replica.read(lastWrite, () -> transactions.executeRead(status -> ResultPages.page(
                    depth -> documents.matching(query, filter.get(), depth), after, size, digest)));
            highlightModel = null;
        } else {
            EmbeddingModel model = models.lastSeen();
            Answer answer;
            while ((answer = nearest(model, queryEmbeddings.vector(model, query, beforeInference), query, wanted,
                    filter.get(), after, size, digest, lastWrite)).page() == null) {
                model = answer.activeModel();
            }
            page = answer.page();
            highlightModel = model;
        }
        List<Hit> hits = page.hits();
        List<Highlight> highlights = replica.read(lastWrite,
                () -> transactions.executeRead(status -> highlighter.of(query, highlightModel, hits)));
        List<Result> results = new ArrayList<>(hits.size());
        for (int i = 0; i < hits.size(); i++) {
            Hit h = hits.get(i);
            results.add(new Result(new ThreadRef(h.threadId(), h.title(), h.category()),
                    new PostRef(h.postId(), h.snippet(), highlights.get(i)), h.score()));
        }
        return new Results(query, wanted.wire(), (System.nanoTime() - start) / 1_000_000, results, page.nextCursor(),
                after == null && results.isEmpty());
    }

    /** A page of hits, or (page null) the active model when it was not the one the query was embedded with. */
    private record Answer(ResultPages.Page page, EmbeddingModel activeModel) {
    }

    /**
     * One page of a semantic or hybrid search with a vector of {@code model}, in one read-only
     * transaction; semantic matches below the model's score floor are left out, before fusion too.
     */
    private Answer nearest(EmbeddingModel model, float[] vector, String query, Mode wanted, SearchFilter filter,
                           ResultPages.Position after, int size, String digest, WalPosition lastWrite) {
        return replica.read(lastWrite, () -> transactions.executeRead(status -> {
            EmbeddingModel active = models.confirm(embeddings.prepareIndexWalk());
            if (!active.name().equals(model.name())) {
                return new Answer(null, active);
            }
            return new Answer(ResultPages.page(depth -> wanted == Mode.HYBRID
                    ? fuse(embeddings.nearest(model.name(), model.dimensions(), vector, filter, null,
                                    HYBRID_LIST_DEPTH, ranking.threadWeight(), floor.of(model.name())),
                            documents.matching(query, filter, HYBRID_LIST_DEPTH), ranking.keywordWeight(), depth)
                    : embeddings.nearest(model.name(), model.dimensions(), vector, filter, null, depth,
                            ranking.threadWeight(), floor.of(model.name())),
                    after, size, digest), null);
        }));
    }

    /** The requested mode, semantic when none is named, null when the name is unknown. */
    private static Mode modeOf(String mode) {
        return mode == null || mode.isBlank() ? Mode.SEMANTIC : Mode.parse(mode).orElse(null);
    }

    /**
     * Threads nearest to a visible thread, excluding the thread itself: its thread vector (title and
     * opening post) is the query, and the others are ranked as a search ranks them.
     */
    @ReplicaRead
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
                .map(vector -> embeddings.nearest(model.name(), model.dimensions(), vector, SearchFilter.NONE, threadId,
                        size, ranking.threadWeight(), 0))
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
