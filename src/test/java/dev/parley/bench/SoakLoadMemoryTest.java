package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The soak's memory verdict: what it reads from jcmd and how it judges, on made-up readings. */
class SoakLoadMemoryTest {

    @Test
    void readsTheHeapUsedFromG1HeapInfo() {
        String out = """
                28987:
                Command executed successfully
                28987:
                 garbage-first heap   total 262144K, used 86016K [0x00000000c0000000, 0x0000000100000000)
                  region size 1024K, 0 young (0K), 0 survivors (0K)
                 Metaspace       used 80000K, committed 81000K, reserved 1114112K
                """;
        assertEquals(86016L * 1024, SoakLoad.LiveHeap.usedBytes(out));
        assertEquals(-1, SoakLoad.LiveHeap.usedBytes("28987:\ncom.sun.tools.attach.AttachNotSupportedException"));
    }

    @Test
    void histogramDiffListsWhatGrewMostFirst() {
        String start = """
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         13412       5000000  [B (java.base@17.0.15)
                   2:          3058        367832  java.lang.String (java.base@17.0.15)
                Total         16470       5367832
                """;
        String end = """
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         14412       5100000  [B (java.base@17.0.15)
                   2:          5058        417832  java.lang.String (java.base@17.0.15)
                   3:            10           800  dev.parley.Grown
                Total         19480       5518632
                """;
        SoakLoad.Histogram.Diff diff = SoakLoad.Histogram.diff(start, end);
        assertEquals(5_367_832, diff.startBytes());
        assertEquals(5_518_632, diff.endBytes());
        assertEquals(new SoakLoad.Histogram.Growth("[B", 1_000, 100_000), diff.top().get(0));
        assertEquals(new SoakLoad.Histogram.Growth("java.lang.String", 2_000, 50_000), diff.top().get(1));
        assertEquals(new SoakLoad.Histogram.Growth("dev.parley.Grown", 10, 800), diff.top().get(2));
        assertNull(SoakLoad.Histogram.diff(start, ""));
    }

    @Test
    void judgesTheLiveHeapNotTheSwingingFloor() {
        // The floor climbs 6 MiB a minute (eden left in it); the live heap after full collections is flat.
        List<SoakLoad.Sample> samples = new ArrayList<>();
        List<SoakLoad.LiveHeap.Reading> live = new ArrayList<>();
        for (int i = 0; i <= 120; i++) {
            double minute = i / 12.0;
            samples.add(new SoakLoad.Sample(minute, 400L << 20, (long) ((70 + 6 * minute) * 1048576), 0, 300));
            if (i % 6 == 0 && i > 0) {
                live.add(new SoakLoad.LiveHeap.Reading(minute, (60L << 20) + (i % 12 == 0 ? 1 << 19 : 0)));
            }
        }
        SoakLoad.Memory flat = SoakLoad.judge(samples, live, 10);
        assertTrue(flat.measured());
        assertTrue(flat.flat(), "live slope " + flat.liveSlope());
        assertTrue(flat.floorSlope() > 5, "floor slope " + flat.floorSlope());
        assertEquals(300, flat.seriesAtEnd());

        List<SoakLoad.LiveHeap.Reading> growing = live.stream()
                .map(r -> new SoakLoad.LiveHeap.Reading(r.minute(), r.bytes() + (long) (3 * r.minute() * 1048576)))
                .toList();
        assertFalse(SoakLoad.judge(samples, growing, 10).flat());

        // A password hash in flight (19 MiB) caught by one reading in most minutes, late in the run: the least
        // reading of each minute leaves it out. A single-reading fit would have called it growth.
        List<SoakLoad.LiveHeap.Reading> caught = live.stream()
                .map(r -> new SoakLoad.LiveHeap.Reading(r.minute(),
                        r.bytes() + (r.minute() > 7 && Math.round(r.minute() * 2) % 2 == 1 ? 19L << 20 : 0)))
                .toList();
        SoakLoad.Memory withHash = SoakLoad.judge(samples, caught, 10);
        assertTrue(withHash.flat(), "live slope " + withHash.liveSlope());
        assertFalse(SoakLoad.slope(caught.stream().filter(r -> r.minute() >= 5)
                .map(r -> new double[]{r.minute(), r.bytes() / 1048576.0}).toList(), 1) < 2.0);

        // Worse luck: every reading of minute 9 caught a hash. A least-squares fit of the five minutes would fail;
        // the median slope does not.
        List<SoakLoad.LiveHeap.Reading> unlucky = live.stream()
                .map(r -> new SoakLoad.LiveHeap.Reading(r.minute(), r.bytes() + ((int) r.minute() == 9 ? 19L << 20 : 0)))
                .toList();
        SoakLoad.Memory withUnluckyMinute = SoakLoad.judge(samples, unlucky, 10);
        assertTrue(withUnluckyMinute.flat(), "live slope " + withUnluckyMinute.liveSlope());
        assertFalse(SoakLoad.slope(withUnluckyMinute.liveFloors().stream().filter(w -> w[0] >= 5).toList(), 1) < 2.0);

        // No readings (jcmd could not attach): no verdict, so no pass.
        SoakLoad.Memory unmeasured = SoakLoad.judge(samples, List.of(), 10);
        assertFalse(unmeasured.measured());
        assertFalse(unmeasured.flat());
    }
}
