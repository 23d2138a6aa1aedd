package io.ordercqrs.query.projection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceCheckTests {

    @Test
    void appliesOnlyTheVeryNextEvent() {
        assertThat(SequenceCheck.of(0, 1)).isEqualTo(SequenceCheck.NEXT);
        assertThat(SequenceCheck.of(3, 4)).isEqualTo(SequenceCheck.NEXT);
    }

    @Test
    void treatsEventsAtOrBelowTheVersionAsDuplicates() {
        assertThat(SequenceCheck.of(3, 3)).isEqualTo(SequenceCheck.DUPLICATE);
        assertThat(SequenceCheck.of(3, 1)).isEqualTo(SequenceCheck.DUPLICATE);
    }

    @Test
    void reportsAGapWhenEventsAreMissing() {
        assertThat(SequenceCheck.of(0, 2)).isEqualTo(SequenceCheck.GAP);
        assertThat(SequenceCheck.of(3, 5)).isEqualTo(SequenceCheck.GAP);
    }
}
