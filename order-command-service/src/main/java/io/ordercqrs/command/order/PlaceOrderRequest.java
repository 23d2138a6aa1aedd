package io.ordercqrs.command.order;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * Body of {@code POST /orders}. Customers place orders for themselves and may leave out
 * {@code customerId}; ops must name the customer.
 */
public record PlaceOrderRequest(
        UUID customerId,
        @Schema(example = "EUR", description = "ISO 4217 code") @NotNull @CurrencyCode String currency,
        @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid Line> lines,
        @NotNull @Valid ShippingAddressBody shippingAddress) {

    /** One product to order; {@code unitPrice} is a decimal in the order's currency. */
    @Schema(name = "OrderLineRequest", description = "A line of an order to place")
    public record Line(
            @Schema(example = "BEANS-1KG") @NotBlank @Size(min = 1, max = 64)
            @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*",
                    message = "must be letters, digits, '.', '_' or '-'") String sku,
            @Schema(example = "Espresso beans") @NotBlank @Size(min = 1, max = 200) String productName,
            @Schema(example = "2") @NotNull @Min(1) @Max(10_000) Integer quantity,
            @Schema(type = "string", pattern = "^\\d{1,7}(\\.\\d{1,2})?$", example = "12.50",
                    description = "A decimal amount in the order's currency, as a string")
            @NotNull @DecimalMin("0.00") @DecimalMax("1000000.00") BigDecimal unitPrice) {
    }

    /** Where the order goes; {@code country} is an ISO 3166-1 alpha-2 code. */
    public record ShippingAddressBody(
            @Schema(example = "Ada Lovelace") @NotBlank @Size(min = 1, max = 200) String recipient,
            @Schema(example = "1 Analytical Way") @NotBlank @Size(min = 1, max = 200) String street,
            @Schema(example = "10115") @NotBlank @Size(min = 1, max = 20) String postalCode,
            @Schema(example = "Berlin") @NotBlank @Size(min = 1, max = 100) String city,
            @Schema(example = "DE") @NotNull @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code such as DE")
            String country) {

        Address toAddress() {
            return new Address(recipient, street, postalCode, city, country);
        }
    }
}
