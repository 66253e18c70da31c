package dev.parley.search.embedding;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFilesTest {

    @Test
    void copiesOnceAndThenReusesTheCopy(@TempDir Path dir) throws Exception {
        Path source = Files.writeString(dir.resolve("source.bin"), "model bytes");
        URL url = source.toUri().toURL();
        Path target = dir.resolve("models/m-11/model.onnx");

        assertEquals(target, ModelFiles.copyOnce(url, 11, target));
        assertEquals("model bytes", Files.readString(target));

        Files.delete(source);   // a second copy would now fail
        assertEquals(target, ModelFiles.copyOnce(url, 11, target));
        assertEquals("model bytes", Files.readString(target));
        try (var files = Files.list(target.getParent())) {
            assertEquals(1, files.count(), "no partial files left behind");
        }
    }

    @Test
    void aCopyOfTheWrongSizeIsReplaced(@TempDir Path dir) throws Exception {
        Path source = Files.writeString(dir.resolve("source.bin"), "model bytes");
        Path target = Files.writeString(dir.resolve("model.onnx"), "half a mod");

        ModelFiles.copyOnce(source.toUri().toURL(), 11, target);

        assertEquals("model bytes", Files.readString(target));
    }

    @Test
    void aSourceOfAnotherSizeThanPromisedLeavesNoTarget(@TempDir Path dir) throws Exception {
        Path source = Files.writeString(dir.resolve("source.bin"), "short");
        Path target = dir.resolve("model.onnx");

        assertThrows(java.io.IOException.class, () -> ModelFiles.copyOnce(source.toUri().toURL(), 11, target));

        assertTrue(Files.notExists(target));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the source: no partial file");
        }
    }
}
