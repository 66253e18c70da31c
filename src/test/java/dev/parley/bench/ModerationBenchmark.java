package dev.parley.bench;

import dev.parley.pipeline.WorkerPool;
import dev.parley.pipeline.WorkerPools;
import dev.parley.support.Api;
import dev.parley.support.FakeOpenAi;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;

import java.time.Duration;
import java.util.Map;

/**
 * Posts moderated per second through the pipeline with the OpenAI provider played by the fake
 * server, answering at once and after 200 ms, with batched claims (one provider request per batch)
 * next to one post per request. Posts are created over HTTP with the workers stopped, then one
 * worker pool drains them while the clock runs. Prints a Markdown table.
 */
public final class ModerationBenchmark {

    public static void main(String[] args) throws Exception {
        int posts = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        StringBuilder table = new StringBuilder("""
                | provider latency | claims | posts | seconds | posts/s | provider requests |
                |---|---|---:|---:|---:|---:|
                """);
        try (FakeOpenAi openai = FakeOpenAi.start()) {
            for (int latency : new int[]{0, 200}) {
                for (int batch : new int[]{16, 1}) {
                    int n = latency > 0 && batch == 1 ? Math.max(50, posts / 4) : posts;
                    table.append(run(openai, Duration.ofMillis(latency), batch, n)).append('\n');
                }
            }
        }
        System.out.println();
        System.out.print(table);
    }

    private static String run(FakeOpenAi openai, Duration latency, int batch, int posts) throws Exception {
        try (ApplicationContext context = ApplicationContext.builder().environments("test").properties(Map.of(
                "parley.pipeline.workers-enabled", "false",
                "parley.pipeline.batch-size", String.valueOf(batch),
                "parley.openai.api-key", "sk-bench",
                "parley.openai.base-url", openai.baseUrl(),
                "micronaut.server.port", "-1")).start()) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            Api api = new Api(server, context.getBean(JsonMapper.class));
            Api.User author = api.register("bench");
            String slug = api.category("bench");
            for (int i = 0; i < posts; i++) {
                api.post("/api/threads", author.token(), Map.of("category", slug, "title", "Bench thread " + i,
                        "body", "benchmark post number " + i)).expect(201);
            }
            openai.resetCounters();
            openai.delayEveryAnswer(latency);
            long start = System.nanoTime();
            try (WorkerPool pool = context.getBean(WorkerPools.class).create("bench-moderation")) {
                pool.start();
                PendingJobs.awaitDrained(context, "moderate");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            openai.delayEveryAnswer(Duration.ZERO);
            return String.format("| %d ms | %s | %d | %.2f | %.0f | %d |", latency.toMillis(),
                    batch == 1 ? "one post per request" : "batches of " + batch, posts, seconds, posts / seconds,
                    openai.moderationRequests());
        }
    }
}
