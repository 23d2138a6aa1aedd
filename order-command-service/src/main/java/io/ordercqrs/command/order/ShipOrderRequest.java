package io.ordercqrs.command.order;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /orders/{id}/shipment}. */
public record ShipOrderRequest(
        @Schema(example = "DHL") @NotBlank @Size(min = 1, max = 100) String carrier,
        @Schema(example = "00340434161094042557") @NotBlank @Size(min = 1, max = 100) String trackingNumber) {
}
