package io.ordercqrs.command.order;

import io.ordercqrs.events.OrderId;

/** Refusal: the order was paid already; what needs it cannot happen. */
public final class OrderAlreadyPaid extends OrderRuleViolation {

    OrderAlreadyPaid(OrderId orderId, OrderStatus status, String action) {
        super(orderId, status, "Order " + orderId + " was paid already (" + status + "), so it cannot " + action);
    }
}
