package io.ordercqrs.command.order;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /orders/{id}/cancellation}. */
public record CancelOrderRequest(@NotBlank @Size(min = 1, max = 500) String reason) {
}
