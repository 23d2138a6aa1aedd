package io.ordercqrs.command.order;

import io.ordercqrs.events.Money;
import io.ordercqrs.events.OrderId;

/**
 * Command: pay an order's total.
 *
 * @param expectedVersion the version the caller last saw ({@code If-Match}), or {@code null}
 */
public record PayOrder(OrderId orderId, Money amount, String paymentReference, Long expectedVersion) {
}
