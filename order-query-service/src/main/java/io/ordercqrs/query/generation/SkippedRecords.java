package io.ordercqrs.query.generation;

import java.util.List;

/**
 * What a generation skipped: the records it parked or held as dead letters. A generation that
 * skipped records does not switch in unless ops ask; one that is dropped takes its letters along.
 */
public interface SkippedRecords {

    /** How many records of {@code generation} are parked or held. */
    long count(long generation);

    /** The first {@code limit} of them. */
    List<Skipped> list(long generation, int limit);

    /** Closes the letters of a generation that was dropped. */
    void generationDropped(long generation);

    /**
     * One skipped record.
     *
     * @param letterId  the dead letter to show, retry or discard
     * @param topic     its topic
     * @param aggregate its key
     * @param error     why it was skipped
     */
    record Skipped(String letterId, String topic, String aggregate, String error) {
    }
}
