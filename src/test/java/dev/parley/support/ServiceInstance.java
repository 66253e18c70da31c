package dev.parley.support;

import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.HashMap;
import java.util.Map;

/**
 * Another instance of the service in this JVM: its own application context, HTTP server on a random
 * port, connection pool and (unless disabled) job workers, as a second process would have, with the
 * test environment's configuration plus {@code properties}.
 */
public final class ServiceInstance implements AutoCloseable {

    private final ApplicationContext context;
    private final EmbeddedServer server;

    private ServiceInstance(ApplicationContext context, EmbeddedServer server) {
        this.context = context;
        this.server = server;
    }

    public static ServiceInstance start(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.putIfAbsent("micronaut.server.port", -1);
        ApplicationContext context = ApplicationContext.builder().environments("test").properties(all).start();
        EmbeddedServer server = context.getBean(EmbeddedServer.class);
        server.start();
        return new ServiceInstance(context, server);
    }

    public Api api() {
        return new Api(server, context.getBean(JsonMapper.class));
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public EmbeddedServer server() {
        return server;
    }

    @Override
    public void close() {
        server.stop();
        context.close();
    }
}
