package io.ordercqrs.events;

import java.util.UUID;

/**
 * A fact about an order. Published on {@link Topics#ORDER_EVENTS}, keyed by order id. Every order
 * event names the order's customer, so consumers can route it without a lookup.
 */
public sealed interface OrderEvent extends DomainEvent
        permits OrderPlaced, OrderPaid, OrderShipped, OrderDelivered, OrderCancelled {

    OrderId orderId();

    CustomerId customerId();

    /** Calls the handler method for this event's type; adding an event type breaks every handler at compile time. */
    <R> R dispatch(Handler<R> handler);

    @Override
    default UUID aggregateId() {
        return orderId().value();
    }

    @Override
    default AggregateType aggregateType() {
        return AggregateType.ORDER;
    }

    /** Handles each kind of order event; implemented by projectors. */
    interface Handler<R> {

        R on(OrderPlaced event);

        R on(OrderPaid event);

        R on(OrderShipped event);

        R on(OrderDelivered event);

        R on(OrderCancelled event);
    }
}
