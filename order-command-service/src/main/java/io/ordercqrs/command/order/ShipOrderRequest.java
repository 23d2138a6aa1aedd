package io.ordercqrs.command.order;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /orders/{id}/shipment}. */
public record ShipOrderRequest(@NotBlank @Size(min = 1, max = 100) String carrier, @NotBlank @Size(min = 1, max = 100) String trackingNumber) {
}
