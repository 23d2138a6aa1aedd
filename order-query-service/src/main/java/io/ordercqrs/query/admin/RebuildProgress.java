package io.ordercqrs.query.admin;

import java.time.Instant;

/**
 * Where a view rebuild stands.
 *
 * @param id            the rebuild's id
 * @param view          the view asked for (the order views and customer summaries are rebuilt together,
 *                      since summaries are computed from the order views)
 * @param state         where it stands
 * @param eventsDone    records read and applied so far
 * @param eventsTotal   records to read in all (grows if events arrive while it runs)
 * @param eventsToGo    records still to read
 * @param skipped       records that could not be applied (parked in the live views too)
 * @param ratePerSecond records per second so far
 * @param etaSeconds    estimated seconds left, or {@code null} while unknown
 * @param requestedBy   who started it
 * @param startedAt     when it started
 * @param finishedAt    when it ended, or {@code null}
 * @param error         why it failed, or {@code null}
 */
public record RebuildProgress(String id, String view, RebuildState state, long eventsDone, long eventsTotal, long eventsToGo,
        long skipped, double ratePerSecond, Long etaSeconds, String requestedBy, Instant startedAt, Instant finishedAt,
        String error) {

    public boolean running() {
        return state.running();
    }
}
