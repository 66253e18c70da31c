package dev.parley.common;

import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;

/** Serves the OpenAPI document generated at compile time, and a stable entry to Swagger UI. */
@Controller
@Hidden
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class OpenApiController {

    private static final String DOCUMENT = "classpath:META-INF/swagger/parley.yml";

    private final byte[] document;

    OpenApiController(ResourceResolver resources) {
        try (InputStream in = resources.getResourceAsStream(DOCUMENT)
                .orElseThrow(() -> new IllegalStateException(DOCUMENT + " was not generated"))) {
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(uri = "/openapi", produces = "application/yaml")
    byte[] openapi() {
        return document;
    }

    @Get("/swagger-ui")
    HttpResponse<?> swaggerUi() {
        return HttpResponse.seeOther(URI.create("/swagger-ui/index.html"));
    }
}
