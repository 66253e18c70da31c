package dev.parley.support;

import io.micronaut.context.env.Environment;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of HTTP-level tests: the service on a random port, a client for it, the database beside it
 * and the pipeline's jobs to wait for.
 */
public abstract class ApiTest {

    @Inject
    protected EmbeddedServer server;
    @Inject
    protected JsonMapper json;
    @Inject
    protected Environment environment;

    protected Api api;
    protected Db db;
    protected Jobs jobs;

    @BeforeEach
    void connect() {
        api = new Api(server, json);
        db = new Db(environment);
        jobs = new Jobs(db);
    }
}
