package dev.parley.console;

import io.micronaut.http.MutableHttpResponse;

/**
 * The console's security headers. The Content-Security-Policy allows scripts, styles and images
 * from this origin only, no inline script or style attribute, no eval, and fetches only to this
 * origin's API: even if user text ever reached the DOM as markup, it could not run or load anything.
 */
final class ConsoleHeaders {

    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'");

    private ConsoleHeaders() {
    }

    static <T> MutableHttpResponse<T> secure(MutableHttpResponse<T> response) {
        return response
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                // The page is tiny; always revalidating spares users a stale console after an upgrade.
                .header("Cache-Control", "no-cache");
    }
}
