package dev.parley.common;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WalPositionTest {

    @Test
    void printsAsPostgresPrintsAPgLsn() {
        // SELECT '16/B374D848'::pg_lsn - '0/0' = 97500059720
        assertEquals("16/B374D848", new WalPosition(97_500_059_720L).toString());
        assertEquals("0/0", WalPosition.START.toString());
    }

    @Test
    void aReplicaCoversAWriteOnceItReplayedUpToItsEnd() {
        WalPosition write = new WalPosition(1_000);
        assertTrue(new WalPosition(1_000).covers(write));
        assertTrue(new WalPosition(1_001).covers(write));
        assertFalse(new WalPosition(999).covers(write));
        assertTrue(WalPosition.START.covers(WalPosition.ofNullable(null)), "no recorded write: any replica");
    }

    @Test
    void refusesNegativePositions() {
        assertThrows(IllegalArgumentException.class, () -> new WalPosition(-1));
    }
}
