package dev.parley.console;

import dev.parley.support.ApiTest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How /console is served: public, from the jar, with a Content-Security-Policy that forbids inline code. */
@MicronautTest(transactional = false)
class ConsolePageTest extends ApiTest implements TestPropertyProvider {

    private static final Path SOURCES = Path.of("src/main/resources/console");

    @Override
    public Map<String, String> getProperties() {
        return Map.of("micronaut.server.port", "-1");
    }

    @Test
    void thePageIsPublicAndServedWithAStrictContentSecurityPolicy() {
        var page = api.get("/console", null).expect(200);
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'none'"), csp);
        assertTrue(csp.contains("script-src 'self'"), csp);
        assertTrue(csp.contains("connect-src 'self'"), csp);
        assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
        assertTrue(page.body().contains("<script type=\"module\" src=\"/console/app.js\"></script>"));
        assertTrue(page.headers().allValues("Set-Cookie").isEmpty(), "the console sets no cookie");
    }

    @Test
    void everyAssetTheHtmlNamesIsServedWithItsType() {
        String html = api.get("/console", null).expect(200).body();
        var names = Pattern.compile("(?:src|href)=\"/console/([a-z0-9.-]+)\"").matcher(html).results()
                .map(m -> m.group(1)).distinct().toList();
        assertTrue(names.containsAll(List.of("app.js", "console.css", "icon.svg")), names.toString());
        for (String js : List.of("app.js", "api.js", "dom.js", "queue.js", "dashboard.js", "policy.js", "chart.js",
                "harm.js", "format.js", "calibration.js", "appeal.js")) {
            var asset = api.get("/console/" + js, null).expect(200);
            assertTrue(asset.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"), js);
            assertTrue(asset.headers().firstValue("Content-Security-Policy").isPresent(), js);
        }
        assertTrue(api.get("/console/console.css", null).expect(200).headers().firstValue("Content-Type")
                .orElse("").startsWith("text/css"));
        assertTrue(api.get("/console/icon.svg", null).expect(200).headers().firstValue("Content-Type")
                .orElse("").startsWith("image/svg+xml"));
    }

    @Test
    void eachFileAnswersARequestThatAcceptsOnlyItsOwnType() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, String> accepted = Map.of("/console", "text/html", "/console/app.js", "text/javascript",
                "/console/console.css", "text/css", "/console/icon.svg", "image/svg+xml");
        for (var file : accepted.entrySet()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.getURI().resolve(file.getKey()))
                    .header("Accept", file.getValue()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), file.getKey() + " with Accept: " + file.getValue());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith(file.getValue()),
                    file.getKey());
        }
    }

    @Test
    void nothingOutsideTheConsoleFolderIsReachable() {
        api.get("/console/nope.js", null).expectProblem(404);
        api.get("/console/application.yml", null).expectProblem(404);
        api.get("/console/..%2Fapplication.yml", null).expectProblem(404);
        api.get("/console/%2E%2E%2Flogback.xml", null).expectProblem(404);
        api.get("/console/Index.HTML", null).expectProblem(404);
    }

    /** The CSP would block them anyway; this keeps the sources honest about it. */
    @Test
    void theSourcesHaveNoInlineCodeAndNeverParseUserTextAsMarkup() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path file : files.toList()) {
                String text = read(file);
                String name = file.getFileName().toString();
                for (String forbidden : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                        "eval(", "new Function")) {
                    assertFalse(text.contains(forbidden), name + " uses " + forbidden);
                }
                if (name.endsWith(".html")) {
                    assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(text).find(), "inline script");
                    assertFalse(Pattern.compile("\\son[a-z]+=").matcher(text).find(), "inline handler");
                    assertFalse(text.contains("style="), "inline style");
                    assertFalse(text.contains("http://") || text.contains("https://"), "nothing from elsewhere");
                }
                if (name.endsWith(".js")) {
                    assertFalse(Pattern.compile("import .* from '(?!\\./)").matcher(text).find(), name + ": local modules only");
                    assertFalse(text.contains("localStorage") || text.contains("document.cookie"),
                            name + ": the token stays in sessionStorage");
                }
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
