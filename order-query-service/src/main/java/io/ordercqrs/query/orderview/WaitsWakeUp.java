package io.ordercqrs.query.orderview;

import io.ordercqrs.query.projection.AfterWrite;
import io.ordercqrs.query.projection.AppliedBatch;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * After a batch is written on this instance, the read-your-writes waits it ends are answered at
 * once from the order views it wrote, rather than at the next poll (waits for views projected by
 * another instance are still found by the poll).
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
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
