package io.ordercqrs.query.projection;

/**
 * Deriving data (joins, summaries) from a batch's documents failed after they were written. The
 * records are fine and their views are written, so none is parked (that would leave what they
 * derive uncounted): the batch runs again, with backoff, until the step succeeds.
 */
public class DerivedDataFailed extends BatchFailure {

    DerivedDataFailed(AfterWrite step, RuntimeException cause) {
        super(step.getClass().getSimpleName() + " failed: " + cause.getMessage(), cause);
    }
}
