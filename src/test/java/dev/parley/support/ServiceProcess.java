package dev.parley.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The service as a separate JVM, from the test classpath, with the test environment (fixed JWT
 * secret, the bootstrap admin) and the caller's settings as environment variables. {@link #kill()}
 * is SIGKILL: no shutdown hook runs, no job is handed back. Output goes to target/&lt;name&gt;.log.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final Process process;

    private ServiceProcess(String name, int port, Process process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts an instance on {@code port} (-1: any free port, when the caller does not talk HTTP to it).
     *
     * @param environments extra Micronaut environments besides "test", e.g. "crash-test"
     * @param env          settings, e.g. DATASOURCES_DEFAULT_URL, PARLEY_PIPELINE_LEASE
     */
    public static ServiceProcess start(String name, int port, String environments, Map<String, String> env)
            throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = Path.of("target", name + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", classpath, "dev.parley.Application")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("MICRONAUT_ENVIRONMENTS", "test" + (environments == null ? "" : "," + environments));
        environment.put("MICRONAUT_SERVER_PORT", String.valueOf(port));
        environment.putAll(env);
        return new ServiceProcess(name, port, builder.start());
    }

    /** Settings every test instance shares: the database the test uses, a short lease, no rate limits. */
    public static Map<String, String> baseEnv(String databaseUrl, String lease) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DATASOURCES_DEFAULT_URL", databaseUrl);
        env.put("PARLEY_PIPELINE_LEASE", lease);
        // These processes run without application-test.yml, so they would apply the production
        // limits to the suite's many users on 127.0.0.1 and share their counters with the in-process
        // tests; the limits have their own tests (dev.parley.abuse).
        env.put("PARLEY_LIMITS_RATE_ENABLED", "false");
        return env;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until /health answers 200 (the pipeline and database are up). */
    public ServiceProcess awaitHealthy() throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        waitFor(() -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited at start; see target" + File.separator + name + ".log");
            }
            try {
                return http.send(HttpRequest.newBuilder(uri().resolve("/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, name + " to become healthy");
        return this;
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** A graceful stop (SIGTERM): workers hand their jobs back. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Polls for up to two minutes: a service process starts and recovers slower than an in-process context. */
    public static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        Waits.until(what + " (logs in target" + File.separator + ")", Duration.ofMinutes(2), condition);
    }
}
