package dev.parley.console;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's files are kept in memory once read; names that match no file are not. */
class ConsoleAssetsTest {

    @Test
    void madeUpNamesLeaveNothingBehind() {
        ConsoleAssets assets = new ConsoleAssets();
        for (int i = 0; i < 1000; i++) {
            assertTrue(assets.find("no-such-file-" + i + ".js").isEmpty());
        }
        assertEquals(0, assets.kept(), "a miss is not remembered");

        assertTrue(assets.find("app.js").isPresent());
        assertTrue(assets.find("app.js").isPresent());
        assertEquals(1, assets.kept(), "a file that exists is read once and kept");
    }
}
