package io.ordercqrs.command.order;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /orders/{id}/cancellation}. */
public record CancelOrderRequest(
        @Schema(example = "Ordered by mistake") @NotBlank @Size(min = 1, max = 500) String reason) {
}
