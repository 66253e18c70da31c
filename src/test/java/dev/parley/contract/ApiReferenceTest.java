package dev.parley.contract;

import dev.parley.support.ApiTest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/api.md and the served OpenAPI document list the same routes: every method and path in the
 * reference's route tables is an operation of {@code /openapi}, and every operation is in a table.
 */
@MicronautTest(transactional = false)
class ApiReferenceTest extends ApiTest {

    /** A table row's first cell: "GET /api/x?q=", "POST /api/x/{id}/claim, DELETE same", "GET /a, GET /b". */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*([A-Z]+ /[^|]*?)\\s*\\|");
    private static final Pattern ROUTE = Pattern.compile("(GET|POST|PUT|PATCH|DELETE) (/\\S+|same)");
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    @Test
    void theReferenceAndTheOpenApiDocumentListTheSameRoutes() throws IOException {
        Set<String> documented = referenceRoutes(Path.of("docs/api.md"));
        Set<String> served = openApiRoutes(api.get("/openapi", null).expect(200).body());

        assertTrue(documented.size() > 40, "the reference's tables hold " + documented);
        assertEquals(new TreeSet<>(), minus(served, documented), "operations of /openapi missing from docs/api.md");
        assertEquals(new TreeSet<>(), minus(documented, served), "routes of docs/api.md missing from /openapi");
    }

    @Test
    void aRowWithSeveralRoutesIsReadAsSeveral() {
        assertEquals(Set.of("POST /api/moderation/queue/{id}/claim", "DELETE /api/moderation/queue/{id}/claim"),
                routesOf("| POST /api/moderation/queue/{id}/claim, DELETE same | claim / release |"));
        assertEquals(Set.of("GET /api/search"), routesOf("| GET /api/search?q=&mode=&category=&limit= | anyone |"));
        assertEquals(Set.of(), routesOf("| `parley.limits.rate.enabled` | `PARLEY_LIMITS_RATE_ENABLED` |"));
    }

    static Set<String> referenceRoutes(Path file) throws IOException {
        Set<String> routes = new TreeSet<>();
        for (String line : Files.readAllLines(file)) {
            routes.addAll(routesOf(line));
        }
        return routes;
    }

    static Set<String> routesOf(String line) {
        Set<String> routes = new TreeSet<>();
        Matcher row = ROW.matcher(line);
        if (!row.find()) {
            return routes;
        }
        String previousPath = null;
        Matcher route = ROUTE.matcher(row.group(1));
        while (route.find()) {
            String path = route.group(2).equals("same") ? previousPath : route.group(2).replaceFirst("[?,].*$", "");
            routes.add(route.group(1) + " " + path);
            previousPath = path;
        }
        return routes;
    }

    @SuppressWarnings("unchecked")
    static Set<String> openApiRoutes(String document) {
        Map<String, Object> root = new Yaml().load(document);
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) root.get("paths");
        Set<String> routes = new TreeSet<>();
        paths.forEach((path, item) -> item.keySet().stream().filter(METHODS::contains)
                .forEach(method -> routes.add(method.toUpperCase(Locale.ROOT) + " " + path)));
        return routes;
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> rest = new TreeSet<>(a);
        rest.removeAll(b);
        return rest;
    }
}
