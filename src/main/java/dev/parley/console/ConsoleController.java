package dev.parley.console;

import dev.parley.common.DomainException;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/**
 * Serves the moderator console: one HTML page and its scripts, styles and icon from
 * {@code resources/console} inside the jar. The page itself is public; everything it shows comes
 * from the API with the moderator's bearer token, so the assets hold no data and no secrets.
 */
@Controller("/console")
@Secured(SecurityRule.IS_ANONYMOUS)
class ConsoleController {

    private final ConsoleAssets assets;

    ConsoleController(ConsoleAssets assets) {
        this.assets = assets;
    }

    @Get
    HttpResponse<byte[]> page() {
        return serve("index.html");
    }

    @Get("/{name}")
    HttpResponse<byte[]> asset(String name) {
        return serve(name);
    }

    private HttpResponse<byte[]> serve(String name) {
        return assets.find(name)
                .<HttpResponse<byte[]>>map(asset -> ConsoleHeaders.secure(HttpResponse.ok(asset.bytes()))
                        .contentType(asset.contentType()))
                .orElseThrow(() -> DomainException.notFound("No such console file."));
    }
}
