package io.ordercqrs.command.order;

import io.ordercqrs.events.OrderId;

/** No order with this id exists, or the caller may not see it. */
public class OrderNotFound extends RuntimeException {

    public OrderNotFound(OrderId id) {
        super("Order " + id + " was not found");
    }
}
