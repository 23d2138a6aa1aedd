package io.ordercqrs.command.order;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/** Body of {@code POST /orders/{id}/payment}: the amount must be exactly the order's total. */
public record PayOrderRequest(
        @Schema(type = "string", pattern = "^\\d{1,9}(\\.\\d{1,2})?$", example = "27.97",
                description = "The order's total, as a decimal string")
        @NotNull @DecimalMin("0.00") BigDecimal amount,
        @Schema(example = "EUR") @NotNull @CurrencyCode String currency,
        @Schema(example = "PAY-2026-0001") @NotBlank @Size(min = 1, max = 100) String paymentReference) {
}
