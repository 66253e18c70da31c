package dev.parley.common;

import io.micronaut.http.HttpStatus;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Framework error messages may quote class names, parser positions or the client's own input.
 * Those never reach a client: they are replaced by a plain sentence for the status.
 */
final class FrameworkMessages {

    private static final Pattern LEAKY = Pattern.compile(
            "(?i)(exception|\\bjava\\.|\\bio\\.micronaut|com\\.fasterxml|\\[source:|\\bat \\[|\\bclass\\b|\\$|sql)");

    private static final Map<Integer, String> GENERIC = Map.of(
            400, "The request is malformed: the body is not valid JSON or a value has the wrong type.",
            401, "Authentication is required.",
            403, "You are not allowed to do this.",
            404, "Not found.",
            405, "This method is not allowed on this resource.",
            406, "The requested media type cannot be produced.",
            413, "The request body is too large.",
            415, "The request body has an unsupported media type.");

    private FrameworkMessages() {
    }

    /** The message when it is plain and says more than the status's reason phrase, else a sentence for the status. */
    static String sanitize(HttpStatus status, String message) {
        boolean informative = isPlain(message) && !message.equalsIgnoreCase(status.getReason());
        return informative ? message : GENERIC.getOrDefault(status.getCode(), status.getReason());
    }

    static boolean isPlain(String message) {
        return message != null && !message.isBlank() && message.length() <= 200 && !LEAKY.matcher(message).find();
    }
}
