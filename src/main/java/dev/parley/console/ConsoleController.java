package dev.parley.console;

import dev.parley.common.ApiErrors;
import dev.parley.common.DomainException;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Serves the moderator console: one HTML page and its scripts, styles and icon from
 * {@code resources/console} inside the jar. The page itself is public; everything it shows comes
 * from the API with the moderator's bearer token, so the assets hold no data and no secrets.
 */
@Controller("/console")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "console")
@ApiErrors.Public
class ConsoleController {

    /** What the assets are served as (ConsoleAssets' types), so a browser's Accept header matches the route. */
    private static final String JAVASCRIPT = "text/javascript";
    private static final String CSS = "text/css";
    private static final String SVG = "image/svg+xml";

    private final ConsoleAssets assets;

    ConsoleController(ConsoleAssets assets) {
        this.assets = assets;
    }

    @Get(produces = MediaType.TEXT_HTML)
    @Operation(operationId = "getConsolePage", summary = "The moderator console's page",
            description = "An HTML page; everything it shows comes from this API with the moderator's token.")
    @ApiResponse(responseCode = "200", description = "The console's HTML page",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = "string")))
    HttpResponse<byte[]> page() {
        return serve("index.html");
    }

    @Get(uri = "/{name}", produces = {JAVASCRIPT, CSS, SVG, MediaType.TEXT_HTML})
    @Operation(operationId = "getConsoleAsset", summary = "One of the console's scripts, styles or images",
            description = "A file of the console by name (`app.js`, `console.css`, ...); any other name is a 404.")
    @ApiResponse(responseCode = "200", description = "The file, with its content type", content = {
            @Content(mediaType = JAVASCRIPT, schema = @Schema(type = "string")),
            @Content(mediaType = CSS, schema = @Schema(type = "string")),
            @Content(mediaType = SVG, schema = @Schema(type = "string")),
            @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = "string"))})
    @ApiErrors.NotFound
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
