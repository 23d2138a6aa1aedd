package io.ordercqrs.command.order;

import io.ordercqrs.events.OrderId;

/** Refusal: the order was cancelled; what needs it cannot happen. */
public final class OrderAlreadyCancelled extends OrderRuleViolation {

    OrderAlreadyCancelled(OrderId orderId, OrderStatus status, String action) {
        super(orderId, status, "Order " + orderId + " was cancelled (" + status + "), so it cannot " + action);
    }
}
