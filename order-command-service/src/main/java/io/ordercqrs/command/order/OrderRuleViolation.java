package io.ordercqrs.command.order;

import io.ordercqrs.events.OrderId;

/** The order's current state forbids the requested change; the message says why. */
public abstract sealed class OrderRuleViolation extends RuntimeException
        permits OrderAlreadyPaid, OrderNotPaid, OrderAlreadyShipped, OrderNotShipped, OrderAlreadyDelivered,
        OrderAlreadyCancelled, PaymentDoesNotMatchTotal {

    private final OrderId orderId;
    private final OrderStatus status;

    protected OrderRuleViolation(OrderId orderId, OrderStatus status, String message) {
        super(message);
        this.orderId = orderId;
        this.status = status;
    }

    public OrderId orderId() {
        return orderId;
    }

    /** The order's status when the change was refused. */
    public OrderStatus status() {
        return status;
    }
}
