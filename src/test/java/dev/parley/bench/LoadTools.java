package dev.parley.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two load generators: wrk against the service, pgbench against PostgreSQL, at the same number
 * of concurrent clients, each giving a {@link Load}. Their scripts ship in {@code bench/http/}.
 */
final class LoadTools {

    /** One measurement: operations per second and latency percentiles, with what went wrong. */
    record Load(int clients, long operations, double seconds, double perSecond, double p50Ms, double p99Ms,
                long errors, double peakRssMib) {

        Load withPeakRss(double mib) {
            return new Load(clients, operations, seconds, perSecond, p50Ms, p99Ms, errors, mib);
        }
    }

    private static final Pattern WRK_RESULT = Pattern.compile(
            "RESULT requests=(\\d+) duration_us=(\\d+) p50_us=(\\d+) p99_us=(\\d+) non2xx=(\\d+) socket_errors=(\\d+)");
    private static final Pattern PGBENCH_TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern PGBENCH_FAILED = Pattern.compile("number of failed transactions: (\\d+)");

    private final Path work;
    private final String dbHost;
    private final int dbPort;
    private final String dbName;
    private final String dbUser;
    private final String dbPassword;

    LoadTools(Path work, String dbHost, int dbPort, String dbName, String dbUser, String dbPassword)
            throws IOException {
        this.work = work;
        this.dbHost = dbHost;
        this.dbPort = dbPort;
        this.dbName = dbName;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
        for (String name : List.of("post.lua", "read.lua", "search.lua", "floor.lua", "post.sql", "post-end-to-end.sql", "thread.sql", "thread-posts.sql")) {
            try (InputStream in = Objects.requireNonNull(LoadTools.class.getResourceAsStream("/bench/http/" + name),
                    name)) {
                Files.write(work.resolve(name), in.readAllBytes());
            }
        }
    }

    Path file(String name) {
        return work.resolve(name);
    }

    /**
     * Runs wrk for {@code seconds} with {@code clients} connections (on at most two threads: the
     * machine has two cores, shared with the service and the database), sampling the service's
     * resident memory meanwhile.
     */
    Load wrk(URI base, String script, int clients, int seconds, DoubleSupplier rss, String... scriptArgs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t", String.valueOf(Math.min(clients, 2)),
                "-c", String.valueOf(clients), "-d", seconds + "s", "--timeout", "10s",
                "-s", work.resolve(script).toString(), base.toString()));
        if (scriptArgs.length > 0) {
            command.add("--");
            command.addAll(Arrays.asList(scriptArgs));
        }
        RssSampler sampler = new RssSampler(rss);
        String out;
        try {
            out = run(command, Map.of());
        } finally {
            sampler.stop();
        }
        Matcher m = WRK_RESULT.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("wrk printed no result:\n" + out);
        }
        long requests = Long.parseLong(m.group(1));
        double duration = Long.parseLong(m.group(2)) / 1e6;
        long errors = Long.parseLong(m.group(5)) + Long.parseLong(m.group(6));
        return new Load(clients, requests, duration, requests / duration, Long.parseLong(m.group(3)) / 1000.0,
                Long.parseLong(m.group(4)) / 1000.0, errors, sampler.peak());
    }

    /**
     * Runs pgbench with prepared statements (as the JDBC driver uses them after a few executions),
     * {@code clients} connections on at most two threads, logging every transaction's latency so
     * that p50 and p99 are exact rather than estimated.
     */
    Load pgbench(int clients, int seconds, List<String> scripts, Map<String, Long> variables)
            throws IOException, InterruptedException {
        Path logs = Files.createTempDirectory(work, "pgbench");
        List<String> command = new ArrayList<>(List.of("pgbench", "-n", "-M", "prepared", "--random-seed=42",
                "-h", dbHost, "-p", String.valueOf(dbPort), "-U", dbUser,
                "-c", String.valueOf(clients), "-j", String.valueOf(Math.min(clients, 2)), "-T", String.valueOf(seconds),
                "-l", "--log-prefix=" + logs.resolve("tx")));
        for (String script : scripts) {
            command.add("-f");
            command.add(work.resolve(script) + "@1");
        }
        variables.forEach((k, v) -> {
            command.add("-D");
            command.add(k + "=" + v);
        });
        command.add(dbName);
        String out = run(command, Map.of("PGPASSWORD", dbPassword));
        Matcher tps = PGBENCH_TPS.matcher(out);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench printed no tps:\n" + out);
        }
        Matcher failed = PGBENCH_FAILED.matcher(out);
        long errors = failed.find() ? Long.parseLong(failed.group(1)) : 0;
        List<Long> micros = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(logs)) {
            for (Path f : files) {
                for (String line : Files.readAllLines(f)) {
                    String[] fields = line.split(" ");
                    if (fields.length >= 3) {
                        micros.add(Long.parseLong(fields[2]));
                    }
                }
                Files.delete(f);
            }
        }
        Files.delete(logs);
        micros.sort(null);
        if (micros.isEmpty()) {
            throw new IllegalStateException("pgbench logged no transactions:\n" + out);
        }
        double perSecond = Double.parseDouble(tps.group(1));
        return new Load(clients, micros.size(), micros.size() / perSecond, perSecond,
                percentile(micros, 50) / 1000.0, percentile(micros, 99) / 1000.0, errors, Double.NaN);
    }

    static double percentile(List<? extends Number> sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))).doubleValue();
    }

    private static String run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + exit + ":\n" + out);
        }
        return out;
    }

    /** Samples a process's resident memory four times a second and keeps the peak. */
    static final class RssSampler {
        private final Thread thread;
        private volatile boolean running = true;
        private volatile double peak = Double.NaN;

        RssSampler(DoubleSupplier rss) {
            thread = new Thread(() -> {
                while (running) {
                    double now = rss.getAsDouble();
                    if (!Double.isNaN(now) && (Double.isNaN(peak) || now > peak)) {
                        peak = now;
                    }
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
        }

        double peak() {
            return peak;
        }
    }
}
