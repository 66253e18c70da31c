package dev.parley.bench;

import dev.parley.search.EmbeddingModel;
import dev.parley.support.Api;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
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

            List<String> sample = new ArrayList<>();
            for (int i = 0; i < 2048; i++) {
                sample.add("sample post number " + i + " about forum search, moderation and reindexing runs");
            }
            model.embed(sample.subList(0, 64));
            long t0 = System.nanoTime();
            for (int from = 0; from < sample.size(); from += 64) {
                model.embed(sample.subList(from, from + 64));
            }
            double rawRate = sample.size() / ((System.nanoTime() - t0) / 1e9);

            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            AtomicLong peakHeap = new AtomicLong();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
            Thread watcher = new Thread(() -> {
                while (running.get()) {
                    peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
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
            System.out.printf("| raw embedding rate of %s, same run | %.0f texts/s |%n", model.name(), rawRate);
            System.out.printf("| posts ÷ raw rate (the floor) | %.0f s |%n", total / rawRate);
            System.out.printf("| run rate / raw rate | %.2f |%n", (total / wall) / rawRate);
            System.out.printf("| peak heap used | %d MB |%n", peakHeap.get() / (1024 * 1024));
            System.out.printf("| search latency during the run, p50 / p95 (%d searches) | %.0f / %.0f ms |%n",
                    latencies.size(), latencies.get(latencies.size() / 2),
                    latencies.get((int) (latencies.size() * 0.95)));
        }
    }
}
