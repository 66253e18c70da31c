package dev.parley.reliability;

import dev.parley.support.ApiTest;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Found by the hostile-input corpus: Micronaut's other management endpoints (beans, loggers,
 * routes...) were enabled and answered any authenticated caller with a 500. Only health and
 * metrics are served now.
 */
@MicronautTest(transactional = false)
// Any free port: 8080 may be taken by a service running on this machine.
@Property(name = "micronaut.server.port", value = "-1")
class ManagementEndpointsTest extends ApiTest {

    @Test
    void onlyHealthAndMetricsAreServed() {
        String admin = api.adminToken();
        for (String path : List.of("/beans", "/loggers", "/routes", "/threaddump", "/info", "/refresh", "/env", "/stop")) {
            api.get(path, admin).expectProblem(404);
            api.get(path, null).expectProblem(404);
        }
        api.get("/health", admin).expect(200);
        api.get("/prometheus", null).expect(200);
    }
}
