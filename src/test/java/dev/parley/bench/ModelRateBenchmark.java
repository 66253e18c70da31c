package dev.parley.bench;

import dev.parley.bench.manpages.ManCorpus;
import dev.parley.bench.manpages.ManPageSource;
import dev.parley.search.Chunker;
import dev.parley.search.EmbeddingModel;
import dev.parley.search.embedding.EmbeddingModels;
import io.micronaut.context.ApplicationContext;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The raw rate of each local model, side by side in one JVM, on forum-length passages: the posts of the
 * manual-page relevance corpus (title with the opening post, replies of up to 170 words), split by
 * {@link Chunker} and embedded in batches of {@link #POSTS_PER_CALL} posts' chunks, one
 * {@link EmbeddingModel#embed} call each, as the embedding job handler does with a claimed batch. No
 * database writes, no HTTP: the floor under what the pipeline and a reindex run can reach. The models
 * take turns, round after round, so that whatever else the machine does falls on both alike; the
 * median round is reported. Also prints each model's similarity for a few loose rewordings (the score
 * floor's hard case).
 *
 * <p>Argument: the directory the manual-page packages were unpacked into ({@code scripts/bench-relevance.sh
 * --model-rate}).
 */
public final class ModelRateBenchmark {

    private static final List<String> MODELS = List.of("all-minilm-l6-v2", "bge-small-en-v1.5-q");
    /** The embedding jobs' claim size ({@code parley.pipeline.batch-size}). */
    private static final int POSTS_PER_CALL = 16;
    private static final int POSTS = 1024;
    private static final int ROUNDS = 3;
    /** A question, and a thread title that answers it in other words. */
    private static final List<String[]> REWORDINGS = List.of(
            new String[] {"how to maintain fermented bread culture", "Keeping sourdough starter alive"},
            new String[] {"my laptop gets really hot when gaming", "CPU temperature spikes under load"},
            new String[] {"stop a program that hangs", "kill - send a signal to a process"});

    private ModelRateBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ModelRateBenchmark <unpacked-packages-dir>");
        }
        List<ManPageSource.Package> packages = ManPageSource.manifest(resource("packages.txt"));
        List<String> posts = posts(ManPageSource.read(Path.of(args[0]), packages).threads());

        try (ApplicationContext context = ApplicationContext.builder().environments("test")
                .properties(Map.of("micronaut.server.port", "-1", "parley.pipeline.workers-enabled", "false"))
                .start()) {
            EmbeddingModels models = context.getBean(EmbeddingModels.class);
            Map<String, EmbeddingModel> byName = new LinkedHashMap<>();
            Map<String, List<List<String>>> calls = new LinkedHashMap<>();
            for (String name : MODELS) {
                EmbeddingModel model = models.named(name).orElseThrow();
                byName.put(name, model);
                calls.put(name, calls(posts, model));
                model.embed(calls.get(name).get(0));   // the first call loads the model
            }
            Map<String, double[]> seconds = new LinkedHashMap<>();
            MODELS.forEach(name -> seconds.put(name, new double[ROUNDS]));
            for (int round = 0; round < ROUNDS; round++) {
                for (String name : round % 2 == 0 ? MODELS : List.of(MODELS.get(1), MODELS.get(0))) {
                    long start = System.nanoTime();
                    for (List<String> call : calls.get(name)) {
                        byName.get(name).embed(call);
                    }
                    seconds.get(name)[round] = (System.nanoTime() - start) / 1e9;
                }
            }

            long words = posts.stream().mapToLong(p -> p.split("\\s+").length).sum();
            System.out.printf(Locale.ROOT, "%d posts of the manual-page corpus (%.0f words a post on average), %d posts"
                            + " a call, %d rounds taking turns, %d processors.%n%n", posts.size(),
                    (double) words / posts.size(), POSTS_PER_CALL, ROUNDS, Runtime.getRuntime().availableProcessors());
            System.out.println("| model | chunks | median round | posts/s | chunks/s | rounds (s) | 100,000 posts at this rate |");
            System.out.println("|---|---:|---:|---:|---:|---|---:|");
            for (String name : MODELS) {
                double[] s = seconds.get(name).clone();
                Arrays.sort(s);
                double median = s[ROUNDS / 2];
                long chunks = calls.get(name).stream().mapToLong(List::size).sum();
                System.out.printf(Locale.ROOT, "| %s | %d | %.1f s | %.0f | %.0f | %s | %.0f min |%n", name, chunks,
                        median, posts.size() / median, chunks / median, Arrays.toString(seconds.get(name)),
                        100_000 / (posts.size() / median) / 60);
            }
            System.out.println();
            System.out.println("| question | thread title | " + String.join(" | ", MODELS) + " |");
            System.out.println("|---|---|" + "---:|".repeat(MODELS.size()));
            for (String[] pair : REWORDINGS) {
                StringBuilder row = new StringBuilder("| " + pair[0] + " | " + pair[1] + " |");
                for (String name : MODELS) {
                    EmbeddingModel model = byName.get(name);
                    row.append(String.format(Locale.ROOT, " %.3f |",
                            ManpagesRelevanceBenchmark.cosine(model.embedQuery(pair[0]), model.embed(List.of(pair[1])).get(0))));
                }
                System.out.println(row);
            }
        }
    }

    /** The first {@link #POSTS} posts, threads in corpus order, as the pipeline sees them (title with the opening post). */
    private static List<String> posts(List<ManCorpus.Thread> threads) {
        List<String> posts = new ArrayList<>();
        for (ManCorpus.Thread thread : threads) {
            for (int i = 0; i < thread.posts().size() && posts.size() < POSTS; i++) {
                posts.add(i == 0 ? thread.title() + "\n\n" + thread.posts().get(0) : thread.posts().get(i));
            }
        }
        return posts;
    }

    /** The model's inputs, one list per embed call: the chunks of {@link #POSTS_PER_CALL} posts. */
    private static List<List<String>> calls(List<String> posts, EmbeddingModel model) {
        List<List<String>> calls = new ArrayList<>();
        for (int from = 0; from < posts.size(); from += POSTS_PER_CALL) {
            List<String> call = new ArrayList<>();
            posts.subList(from, Math.min(posts.size(), from + POSTS_PER_CALL))
                    .forEach(post -> call.addAll(Chunker.chunks(post, model)));
            calls.add(call);
        }
        return calls;
    }

    private static List<String> resource(String name) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                ModelRateBenchmark.class.getResourceAsStream("/bench/manpages/" + name), name),
                StandardCharsets.UTF_8))) {
            return in.lines().toList();
        }
    }
}
