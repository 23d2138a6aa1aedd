package io.ordercqrs.command.order;

import io.ordercqrs.events.OrderId;

/**
 * Command: cancel an order that has not shipped.
 *
 * @param expectedVersion the version the caller last saw ({@code If-Match}), or {@code null}
 */
public record CancelOrder(OrderId orderId, String reason, Long expectedVersion) {
}
