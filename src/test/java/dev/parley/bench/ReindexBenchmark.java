package dev.parley.bench;

import dev.parley.search.EmbeddingModel;
import dev.parley.support.Api;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.transaction.TransactionOperations;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reindexes every published post of the test database with the local model ("all" run, through
 * the job pipeline) and prints, in one run: the wall time next to posts ÷ the model's raw
 * embedding rate measured just before, the peak heap, and search latency while the run goes on.
 * Load posts first with {@code scripts/bench-search.sh}. Run with {@code scripts/bench-reindex.sh}.
 */
public final class ReindexBenchmark {

    public static void main(String[] args) throws Exception {
        try (ApplicationContext context = ApplicationContext.builder().environments("test")
                .properties(Map.of("micronaut.server.port", "-1")).start()) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            Api api = new Api(server, context.getBean(JsonMapper.class));
            EmbeddingModel model = context.getBean(EmbeddingModel.class);

            // The baseline embeds texts of the run itself (the model's time grows with a text's length),
            // in batches of the run's size; the fixed sentence used before is kept for comparison.
            List<String> sample = postTexts(context.getBean(TransactionOperations.class), 2048);
            List<String> sentence = new ArrayList<>();
            for (int i = 0; i < 2048; i++) {
                sentence.add("sample post number " + i + " about forum search, moderation and reindexing runs");
            }
            model.embed(sample.subList(0, 64));
            double rawRate = rate(model, sample);
            double sentenceRate = rate(model, sentence);

            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            AtomicLong peakHeap = new AtomicLong();
            // The heap left after each pool's last collection: what stays live, without the garbage.
            List<Long> liveHeap = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean running = new AtomicBoolean(true);
            List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
            Thread watcher = new Thread(() -> {
                while (running.get()) {
                    peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    liveHeap.add(ManagementFactory.getMemoryPoolMXBeans().stream()
                            .filter(pool -> pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null)
                            .mapToLong(pool -> pool.getCollectionUsage().getUsed()).sum());
                    long s = System.nanoTime();
                    api.get("/api/search?q=reset+my+password&limit=10", null).expect(200);
                    latencies.add((System.nanoTime() - s) / 1e6);
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });

            // One login: each one is an Argon2 hash, which polled every 2 s took CPU from the model.
            String admin = api.login(Api.ADMIN, Api.ADMIN_PASSWORD);
            JsonNode run = api.post("/api/admin/reindex", admin, Map.of("scope", "all")).expect(202).json();
            long id = run.get("id").getLongValue();
            int total = run.get("total").getIntValue();
            long start = System.nanoTime();
            watcher.start();
            JsonNode state = run;
            while (state.get("state").getStringValue().equals("running")) {
                Thread.sleep(2000);
                state = api.get("/api/admin/reindex/" + id, admin).json();
            }
            double wall = (System.nanoTime() - start) / 1e9;
            running.set(false);
            watcher.join();
            Collections.sort(latencies);

            System.out.println();
            System.out.println("| measure | value |");
            System.out.println("|---|---:|");
            System.out.printf("| posts reindexed (%s, scope all) | %d |%n", state.get("state").getStringValue(), total);
            System.out.printf("| wall time | %.0f s |%n", wall);
            System.out.printf("| raw embedding rate of %s on 2,048 of the run's posts, same run | %.0f texts/s |%n",
                    model.name(), rawRate);
            System.out.printf("| (raw rate on a fixed 12-word sentence, the earlier baseline) | %.0f texts/s |%n",
                    sentenceRate);
            System.out.printf("| posts ÷ raw rate (the floor) | %.0f s |%n", total / rawRate);
            System.out.printf("| run rate / raw rate | %.2f |%n", (total / wall) / rawRate);
            System.out.printf("| peak heap used | %d MB |%n", peakHeap.get() / (1024 * 1024));
            int tenth = Math.max(1, liveHeap.size() / 10);
            System.out.printf("| heap after GC: most in the run's first tenth / last tenth | %d / %d MB |%n",
                    Collections.max(liveHeap.subList(0, tenth)) / (1024 * 1024),
                    Collections.max(liveHeap.subList(liveHeap.size() - tenth, liveHeap.size())) / (1024 * 1024));
            System.out.printf("| search latency during the run, p50 / p95 (%d searches) | %.0f / %.0f ms |%n",
                    latencies.size(), latencies.get(latencies.size() / 2),
                    latencies.get((int) (latencies.size() * 0.95)));
        }
    }

    /** Texts of published posts as the run embeds them (a thread's first post with its title), spread over ids. */
    @SuppressWarnings("unchecked")
    private static List<String> postTexts(TransactionOperations<?> anyTx, int count) {
        TransactionOperations<Connection> tx = (TransactionOperations<Connection>) anyTx;
        return tx.executeRead(status -> read(status.getConnection(), count));
    }

    private static List<String> read(Connection connection, int count) {
        List<String> texts = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                     SELECT CASE WHEN p.id = (SELECT min(f.id) FROM posts f WHERE f.thread_id = p.thread_id)
                                 THEN t.title || E'\\n\\n' || p.body ELSE p.body END
                       FROM posts p JOIN threads t ON t.id = p.thread_id
                      WHERE p.status = 'published' ORDER BY md5(p.id::text) LIMIT ?""")) {
            statement.setInt(1, count);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    texts.add(rows.getString(1));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        while (texts.size() % 64 != 0) {
            texts.remove(texts.size() - 1);
        }
        return texts;
    }

    private static double rate(EmbeddingModel model, List<String> texts) {
        long start = System.nanoTime();
        for (int from = 0; from < texts.size(); from += 64) {
            model.embed(texts.subList(from, from + 64));
        }
        return texts.size() / ((System.nanoTime() - start) / 1e9);
    }
}
