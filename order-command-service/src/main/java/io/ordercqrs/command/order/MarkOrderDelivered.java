package io.ordercqrs.command.order;

import io.ordercqrs.events.OrderId;

/**
 * Command: confirm a shipped order arrived.
 *
 * @param expectedVersion the version the caller last saw ({@code If-Match}), or {@code null}
 */
public record MarkOrderDelivered(OrderId orderId, Long expectedVersion) {
}
