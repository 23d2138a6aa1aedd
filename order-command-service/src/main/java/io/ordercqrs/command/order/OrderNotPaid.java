package io.ordercqrs.command.order;

import io.ordercqrs.events.OrderId;

/** Refusal: the order is not paid yet; what needs it cannot happen. */
public final class OrderNotPaid extends OrderRuleViolation {

    OrderNotPaid(OrderId orderId, OrderStatus status, String action) {
        super(orderId, status, "Order " + orderId + " is not paid yet (" + status + "), so it cannot " + action);
    }
}
