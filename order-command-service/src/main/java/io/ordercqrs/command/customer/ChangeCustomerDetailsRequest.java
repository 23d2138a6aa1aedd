package io.ordercqrs.command.customer;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code PUT /customers/{id}/details}: the complete new details. */
public record ChangeCustomerDetailsRequest(
        @NotBlank @Size(min = 1, max = 200) String name,
        @NotBlank @Email @Size(min = 1, max = 320) String email) {
}
