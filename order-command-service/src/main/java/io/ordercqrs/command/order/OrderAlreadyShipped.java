package io.ordercqrs.command.order;

import io.ordercqrs.events.OrderId;

/** Refusal: the order has shipped already; what needs it cannot happen. */
public final class OrderAlreadyShipped extends OrderRuleViolation {

    OrderAlreadyShipped(OrderId orderId, OrderStatus status, String action) {
        super(orderId, status, "Order " + orderId + " has shipped already (" + status + "), so it cannot " + action);
    }
}
