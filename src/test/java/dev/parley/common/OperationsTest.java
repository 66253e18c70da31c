package dev.parley.common;

import dev.parley.support.ApiTest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class OperationsTest extends ApiTest {

    @Test
    void healthIsUpWithTheDatabaseShownToAuthenticatedCallers() {
        assertEquals("UP", api.get("/health", null).expect(200).text("status"));
        var detailed = api.get("/health", api.adminToken()).expect(200);
        assertTrue(detailed.body().contains("jdbc"), detailed.body());
        assertTrue(detailed.body().contains("jobWorkers"), detailed.body());
    }

    @Test
    void prometheusExposesMetrics() {
        var res = api.get("/prometheus", null).expect(200);
        assertTrue(res.body().contains("jvm_memory_used_bytes"), res.body());
        assertTrue(res.body().contains("hikaricp_connections"), res.body());
    }

    @Test
    void theOpenApiDocumentDescribesTheApi() {
        var res = api.get("/openapi", null).expect(200);
        assertTrue(res.body().startsWith("openapi: 3"), res.body());
        for (String path : new String[]{"/api/auth/register", "/api/auth/login", "/api/me", "/api/categories",
                "/api/threads/{id}/posts", "/api/posts/{id}/vote", "/api/admin/users/{username}/role"}) {
            assertTrue(res.body().contains(path + ":"), "missing " + path);
        }
    }

    @Test
    void swaggerUiIsServed() {
        assertEquals(303, api.get("/swagger-ui", null).status());
        var page = api.get("/swagger-ui/index.html", null).expect(200);
        assertTrue(page.body().contains("/swagger/parley.yml"), page.body());
        api.get("/swagger/parley.yml", null).expect(200);
    }
}
