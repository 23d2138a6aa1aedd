package io.ordercqrs.query.orderview;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaitReadsTests {

    private static final long MS = 1_000_000;
    private static final long POLL_EVERY = 20 * MS;

    @Test
    void readsAfterTheFirstIntervalThenAtDoublingIntervalsUpToEightTimesIt() {
        List<Long> reads = readsOfAWaitThatIsNeverAnswered(5_000 * MS);

        assertThat(reads.subList(0, 6)).containsExactly(20L, 60L, 140L, 300L, 460L, 620L);
        for (int i = 5; i < reads.size() - 1; i++) {
            assertThat(reads.get(i) - reads.get(i - 1)).isLessThanOrEqualTo(160);
        }
    }

    @Test
    void readsOnceMoreWithinAPollIntervalOfTheDeadlineSoALateViewIsFoundBeforeTheWaitGivesUp() {
        // Reads at 20, 60, 140, 300, 460, 620, 780, 940: a view that arrives at 950 ms would be
        // missed by a wait that ends at 1,000 ms without a read just before its deadline.
        List<Long> reads = readsOfAWaitThatIsNeverAnswered(1_000 * MS);

        assertThat(reads).contains(940L);
        assertThat(reads.get(reads.size() - 1)).isBetween(960L, 1_000L);
    }

    @Test
    void readsEveryOtherTimeAboutDeadLetters() {
        WaitReads reads = new WaitReads(0, POLL_EVERY, 5_000 * MS);
        List<Boolean> checks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            checks.add(reads.checksHeld());
            reads.readAgainAfter(reads.nextRead());
        }

        assertThat(checks).containsExactly(false, true, false, true);
    }

    @Test
    void aWaitShorterThanThePollIntervalIsReadAtMostOnce() {
        assertThat(readsOfAWaitThatIsNeverAnswered(10 * MS)).hasSizeLessThanOrEqualTo(1);
    }

    /** The milliseconds at which the poller, ticking every {@link #POLL_EVERY}, reads a wait that began at 0. */
    private static List<Long> readsOfAWaitThatIsNeverAnswered(long deadline) {
        WaitReads reads = new WaitReads(0, POLL_EVERY, deadline);
        List<Long> at = new ArrayList<>();
        for (long tick = POLL_EVERY; tick < deadline; tick += POLL_EVERY) {
            if (reads.due(tick)) {
                at.add(tick / MS);
                reads.readAgainAfter(tick);
            }
        }
        return at;
    }
}
