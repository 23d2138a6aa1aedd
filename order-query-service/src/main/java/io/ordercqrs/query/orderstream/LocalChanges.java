package io.ordercqrs.query.orderstream;

import io.ordercqrs.query.generation.ActiveViews;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.projection.AfterWrite;
import io.ordercqrs.query.projection.AppliedBatch;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Order views this instance just wrote into the active generation go to the streams at once, from
 * the batch's documents; views other instances write arrive through {@link OrderChangeFeed}.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class LocalChanges implements AfterWrite {

    private final ActiveViews active;
    private final OrderStreams streams;

    LocalChanges(ActiveViews active, OrderStreams streams) {
        this.active = active;
        this.streams = streams;
    }

    @Override
    public void refresh(AppliedBatch batch) {
        if (streams.openCount() > 0 && batch.views().equals(active.current())) {
            batch.documents(OrderView.class).values().forEach(streams::changed);
        }
    }
}
