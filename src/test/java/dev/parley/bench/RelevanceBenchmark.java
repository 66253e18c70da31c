package dev.parley.bench;

import dev.parley.support.Api;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Search relevance on the labelled corpus shipped in {@code bench/relevance.txt}: recall@5 and
 * MRR@10 of semantic, keyword and hybrid search side by side, overall and per kind of query.
 * Runs the service in-process with the configured embedding model. Prints a Markdown table.
 */
public final class RelevanceBenchmark {

    private static final String[] MODES = {"semantic", "keyword", "hybrid"};

    record Query(String kind, String text, Set<String> relevant) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String[]> threads = new LinkedHashMap<>();
        List<Query> queries = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                RelevanceBenchmark.class.getResourceAsStream("/bench/relevance.txt")), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.split("\\|");
                if (f[0].equals("T")) {
                    threads.put(f[1], new String[]{f[2], f[3]});
                } else if (f[0].equals("Q")) {
                    queries.add(new Query(f[1], f[2], Set.of(f[3].split(","))));
                }
            }
        }
        try (ApplicationContext context = ApplicationContext.builder().environments("test")
                .properties(Map.of("micronaut.server.port", "-1")).start()) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            Api api = new Api(server, context.getBean(JsonMapper.class));
            Api.User author = api.register("relevance");
            String slug = api.category("relevance");
            Map<Long, String> keyOf = new HashMap<>();
            threads.forEach((key, t) -> keyOf.put(api.thread(author, slug, t[0], t[1]).get("id").getLongValue(), key));
            PendingJobs.awaitDrained(context, "moderate", "embed");

            Map<String, double[]> totals = new LinkedHashMap<>();
            for (Query query : queries) {
                for (String mode : MODES) {
                    List<String> ranked = new ArrayList<>();
                    for (JsonNode r : api.get("/api/search?limit=10&mode=" + mode + "&category=" + slug + "&q="
                            + URLEncoder.encode(query.text(), StandardCharsets.UTF_8), null).expect(200).json()
                            .get("results").values()) {
                        ranked.add(keyOf.get(r.get("thread").get("id").getLongValue()));
                    }
                    double recall = ranked.subList(0, Math.min(5, ranked.size())).stream()
                            .filter(query.relevant()::contains).count() / (double) query.relevant().size();
                    double reciprocal = 0;
                    for (int i = 0; i < ranked.size(); i++) {
                        if (query.relevant().contains(ranked.get(i))) {
                            reciprocal = 1.0 / (i + 1);
                            break;
                        }
                    }
                    for (String group : List.of("all", query.kind())) {
                        double[] t = totals.computeIfAbsent(group + "/" + mode, k -> new double[3]);
                        t[0] += recall;
                        t[1] += reciprocal;
                        t[2]++;
                    }
                }
            }
            System.out.println();
            System.out.printf("Corpus: %d threads, %d queries (%s embeddings).%n%n", threads.size(), queries.size(),
                    context.getProperty("parley.embedding.provider", String.class).orElse("local"));
            System.out.println("| queries | mode | recall@5 | MRR@10 |");
            System.out.println("|---|---|---:|---:|");
            for (String group : List.of("all", "paraphrase", "keyword", "mixed")) {
                for (String mode : MODES) {
                    double[] t = totals.get(group + "/" + mode);
                    System.out.printf("| %s (%d) | %s | %.2f | %.2f |%n", group, (int) t[2], mode, t[0] / t[2],
                            t[1] / t[2]);
                }
            }
        }
    }
}
