package dev.parley.search.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Copies model files out of jars onto the file system, once per machine rather than once per start. */
final class ModelFiles {

    private ModelFiles() {
    }

    /**
     * {@code target}, first copied from {@code source} unless a file of {@code size} bytes is already there.
     * The copy goes to a temporary file beside the target and is renamed into place, so that another process
     * (a second instance, a parallel test) never opens half a model, and an interrupted copy is redone.
     */
    static Path copyOnce(URL source, long size, Path target) throws IOException {
        if (Files.isRegularFile(target) && Files.size(target) == size) {
            return target;
        }
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path partial = Files.createTempFile(dir, target.getFileName().toString(), ".part");
        try {
            try (InputStream in = source.openStream()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            if (Files.size(partial) != size) {
                throw new IOException("copied " + Files.size(partial) + " of " + size + " bytes of " + source);
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
