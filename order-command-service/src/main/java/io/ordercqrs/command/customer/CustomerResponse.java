package io.ordercqrs.command.customer;

import java.time.Instant;
import java.util.UUID;

/** A customer as the command side answers it, with its current {@code version} (also the {@code ETag}). */
public record CustomerResponse(UUID id, String name, String email, long version, Instant registeredAt,
        Instant updatedAt) {

    static CustomerResponse of(Customer customer) {
        return new CustomerResponse(customer.customerId().value(), customer.name(), customer.email(),
                customer.version(), customer.registeredAt(), customer.updatedAt());
    }
}
