package io.ordercqrs.command.order;

import io.ordercqrs.events.OrderId;

/** Refusal: the order has not shipped yet; what needs it cannot happen. */
public final class OrderNotShipped extends OrderRuleViolation {

    OrderNotShipped(OrderId orderId, OrderStatus status, String action) {
        super(orderId, status, "Order " + orderId + " has not shipped yet (" + status + "), so it cannot " + action);
    }
}
