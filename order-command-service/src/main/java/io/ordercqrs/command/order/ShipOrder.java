package io.ordercqrs.command.order;

import io.ordercqrs.events.OrderId;

/**
 * Command: hand a paid order to a carrier.
 *
 * @param expectedVersion the version the caller last saw ({@code If-Match}), or {@code null}
 */
public record ShipOrder(OrderId orderId, String carrier, String trackingNumber, Long expectedVersion) {
}
