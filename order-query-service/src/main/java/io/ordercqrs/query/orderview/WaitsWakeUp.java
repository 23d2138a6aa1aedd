package io.ordercqrs.query.orderview;

import io.ordercqrs.query.projection.AfterWrite;
import io.ordercqrs.query.projection.AppliedBatch;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * After a batch is written on this instance, the read-your-writes waits it ends are answered at
 * once from the order views it wrote, rather than at the next poll (waits for views projected by
 * another instance are still found by the poll). Runs first among the steps after the write: the
 * order views are in the store already and are what the waits ask for, so answering them need not
 * wait for the customer joins and summary counts that follow.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class WaitsWakeUp implements AfterWrite {

    private final ViewWaits waits;

    WaitsWakeUp(ViewWaits waits) {
        this.waits = waits;
    }

    @Override
    public void refresh(AppliedBatch batch) {
        waits.written(batch.views(), batch.documents(OrderView.class));
    }
}
