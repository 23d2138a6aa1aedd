package io.ordercqrs.command.order;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/** Body of {@code POST /orders/{id}/payment}: the amount must be exactly the order's total. */
public record PayOrderRequest(
        @NotNull @DecimalMin("0.00") BigDecimal amount,
        @NotNull @CurrencyCode String currency,
        @NotBlank @Size(min = 1, max = 100) String paymentReference) {
}
