package dev.parley.contract;

import dev.parley.support.ApiTest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document as a client developer gets it, over HTTP from {@code /openapi}, passes
 * Redocly's recommended rules without an error. The CLI is the pinned one that
 * scripts/provision-lint-tools.sh installs under tools/ (scripts/test.sh runs it first).
 */
@MicronautTest(transactional = false)
class OpenApiLintTest extends ApiTest {

    private static final Logger LOG = LoggerFactory.getLogger(OpenApiLintTest.class);
    private static final Path CLI = Path.of("tools/redocly/node_modules/.bin/redocly").toAbsolutePath();
    private static final Path WORK = Path.of("target/openapi-lint").toAbsolutePath();

    @Test
    void theServedDocumentHasNoErrorUnderRedoclysRecommendedRules() throws Exception {
        assertTrue(Files.isExecutable(CLI),
                "Redocly's CLI is missing: run scripts/provision-lint-tools.sh (scripts/test.sh does)");
        String document = api.get("/openapi", null).expect(200).body();
        Files.createDirectories(WORK);
        Path file = Files.writeString(WORK.resolve("parley.yml"), document);

        JsonNode report = json.readValue(lint(file), JsonNode.class);

        List<String> errors = new ArrayList<>();
        Map<String, Integer> warnings = new TreeMap<>();
        for (JsonNode problem : report.get("problems").values()) {
            String rule = problem.get("ruleId").getStringValue();
            if ("error".equals(problem.get("severity").getStringValue())) {
                errors.add(rule + ": " + problem.get("message").getStringValue() + " at "
                        + problem.get("location").get(0).get("pointer").getStringValue());
            } else {
                warnings.merge(rule, 1, Integer::sum);
            }
        }
        LOG.info("Redocly recommended rules on /openapi: {} errors, {} warnings {}", errors.size(),
                warnings.values().stream().mapToInt(Integer::intValue).sum(), warnings);
        assertEquals(List.of(), errors, "lint errors in the served OpenAPI document (" + file + ")");
        assertEquals(0, report.get("totals").get("errors").getIntValue(), "errors counted by the linter");
    }

    /** Runs the linter in a folder without a Redocly config file, so only the recommended rules apply. */
    private static byte[] lint(Path file) throws IOException, InterruptedException {
        Path out = WORK.resolve("redocly.json");
        Path err = WORK.resolve("redocly.log");
        ProcessBuilder builder = new ProcessBuilder(CLI.toString(), "lint", "--extends=recommended",
                "--format=json", "--max-problems=10000", file.toString())
                .directory(WORK.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("REDOCLY_TELEMETRY", "off");
        builder.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        Process process = builder.start();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the linter did not finish within 2 minutes");
        byte[] report = Files.readAllBytes(out);
        assertTrue(report.length > 0, "the linter wrote no report: "
                + Files.readString(err, StandardCharsets.UTF_8));
        return report;
    }
}
