package dev.parley.console;

import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console's files on the classpath, read once and kept in memory (a few tens of KiB). Only
 * plain names with a known extension are looked up, so a request can never walk out of the
 * {@code console/} folder or reach another resource of the jar. Only files that exist are kept:
 * the names asked for are anyone's choice, and remembering each miss let a client grow the heap
 * without bound, one made-up name at a time.
 */
@Singleton
class ConsoleAssets {

    /** A file and the content type it is served with. */
    record Asset(byte[] bytes, String contentType) {
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(html|js|css|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");

    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    Optional<Asset> find(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        // computeIfAbsent keeps nothing when load answers null, so a miss is looked up again next time.
        return Optional.ofNullable(cache.computeIfAbsent(name, ConsoleAssets::load));
    }

    /** How many files are kept in memory. */
    int kept() {
        return cache.size();
    }

    /** The file, or null when there is none of that name. */
    private static Asset load(String name) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                return null;
            }
            String extension = name.substring(name.lastIndexOf('.') + 1);
            return new Asset(in.readAllBytes(), TYPES.get(extension));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
