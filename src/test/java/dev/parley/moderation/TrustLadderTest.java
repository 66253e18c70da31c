package dev.parley.moderation;

import dev.parley.auth.TrustLevel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The automatic rises; no database. */
class TrustLadderTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final TrustLadder LADDER = new TrustLadder(List.of(
            new TrustLadder.Step(TrustLevel.BASIC, 1, Duration.ofDays(1), Duration.ofDays(7)),
            new TrustLadder.Step(TrustLevel.MEMBER, 10, Duration.ofDays(14), Duration.ofDays(30))));

    private static TrustLevel earned(TrustLevel from, long posts, Duration age, Duration sinceRejection) {
        return LADDER.earned(new TrustLadder.Record(from, posts, NOW.minus(age),
                sinceRejection == null ? null : NOW.minus(sinceRejection)), NOW);
    }

    @Test
    void everyCriterionOfAStepIsNeeded() {
        assertEquals(TrustLevel.BASIC, earned(TrustLevel.NEW, 1, Duration.ofDays(1), null));
        assertEquals(TrustLevel.NEW, earned(TrustLevel.NEW, 0, Duration.ofDays(30), null), "no published post");
        assertEquals(TrustLevel.NEW, earned(TrustLevel.NEW, 5, Duration.ofHours(23), null), "too young");
        assertEquals(TrustLevel.NEW, earned(TrustLevel.NEW, 5, Duration.ofDays(3), Duration.ofDays(6)),
                "rejected within the window");
        assertEquals(TrustLevel.BASIC, earned(TrustLevel.NEW, 5, Duration.ofDays(10), Duration.ofDays(8)),
                "a rejection older than the window no longer counts");
    }

    @Test
    void aRecordClimbsSeveralStepsAtOnceButNotPastAMissedOne() {
        assertEquals(TrustLevel.MEMBER, earned(TrustLevel.NEW, 12, Duration.ofDays(20), null));
        assertEquals(TrustLevel.BASIC, earned(TrustLevel.NEW, 12, Duration.ofDays(20), Duration.ofDays(10)),
                "clean for 7 days (basic) but not for 30 (member)");
    }

    @Test
    void levelsNeverFallAndTrustedIsNeverEarned() {
        assertEquals(TrustLevel.MEMBER, earned(TrustLevel.MEMBER, 0, Duration.ZERO, Duration.ZERO));
        assertEquals(TrustLevel.MEMBER, earned(TrustLevel.NEW, 10_000, Duration.ofDays(3650), null));
        assertEquals(TrustLevel.TRUSTED, earned(TrustLevel.TRUSTED, 0, Duration.ZERO, null));
        assertTrue(LADDER.above(TrustLevel.BASIC));
        assertFalse(LADDER.above(TrustLevel.MEMBER), "nothing to look up for a member");
    }
}
