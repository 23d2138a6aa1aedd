package io.ordercqrs.command.order;

import io.ordercqrs.events.Money;
import io.ordercqrs.events.OrderId;

/** Refusal: a payment must be exactly the order's total. */
public final class PaymentDoesNotMatchTotal extends OrderRuleViolation {

    PaymentDoesNotMatchTotal(OrderId orderId, OrderStatus status, Money paid, Money total) {
        super(orderId, status, "A payment of " + paid + " does not match the order total of " + total);
    }
}
