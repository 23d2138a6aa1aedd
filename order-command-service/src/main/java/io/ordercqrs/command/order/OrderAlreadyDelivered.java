package io.ordercqrs.command.order;

import io.ordercqrs.events.OrderId;

/** Refusal: the order was delivered already; what needs it cannot happen. */
public final class OrderAlreadyDelivered extends OrderRuleViolation {

    OrderAlreadyDelivered(OrderId orderId, OrderStatus status, String action) {
        super(orderId, status, "Order " + orderId + " was delivered already (" + status + "), so it cannot " + action);
    }
}
