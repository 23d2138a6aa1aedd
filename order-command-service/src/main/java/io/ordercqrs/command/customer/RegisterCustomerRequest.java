package io.ordercqrs.command.customer;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.UUID;

/**
 * Body of {@code POST /customers}. A customer registers themselves: their id is their token's
 * subject. Ops may register anyone, optionally choosing the id.
 */
public record RegisterCustomerRequest(
        UUID customerId,
        @Schema(example = "Ada Lovelace") @NotBlank @Size(min = 1, max = 200) String name,
        @Schema(example = "ada@example.org") @NotBlank @Email @Size(min = 1, max = 320) String email) {
}
