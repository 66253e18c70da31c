package dev.parley.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service as users start it: {@code java $JAVA_OPTS -jar target/parley-0.1.0.jar}, a separate
 * process with its own environment, whose resident memory is read from {@code /proc}.
 */
final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final long startedNanos;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceProcess(Process process, long startedNanos, URI base) {
        this.process = process;
        this.startedNanos = startedNanos;
        this.base = base;
    }

    /** Starts the jar; the clock for {@link #awaitHealthy} starts just before the JVM is forked. */
    static ServiceProcess start(Path jar, String javaOpts, int port, Map<String, String> env, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(javaOpts.trim().split("\\s+")));
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("MICRONAUT_SERVER_PORT", String.valueOf(port));
        Files.writeString(log, "\n=== " + String.join(" ", command) + " " + env + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        long t0 = System.nanoTime();
        Process process = builder.start();
        ServiceProcess service = new ServiceProcess(process, t0, URI.create("http://127.0.0.1:" + port));
        Runtime.getRuntime().addShutdownHook(new Thread(service::kill));
        return service;
    }

    URI base() {
        return base;
    }

    long pid() {
        return process.pid();
    }

    /** Seconds from the fork to the first 200 from /health. */
    double awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/health")).timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue()
                        + " before it was healthy; see its log");
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - startedNanos) / 1e9;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the service was not healthy within " + timeout);
    }

    /**
     * CPU seconds the process has used so far (user + system, from /proc/{pid}/stat; the kernel counts
     * in clock ticks of 1/100 s on Linux).
     */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /** Resident set size in MiB, from /proc/{pid}/status (VmRSS). */
    double rssMib() {
        return procStatus("VmRSS:");
    }

    /** Peak resident set size since start in MiB (VmHWM). */
    double peakRssMib() {
        return procStatus("VmHWM:");
    }

    private double procStatus(String key) {
        try {
            for (String line : Files.readAllLines(new File("/proc/" + process.pid() + "/status").toPath())) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** Stops the service the way an operator would (SIGTERM), waiting for its graceful shutdown. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private void kill() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
