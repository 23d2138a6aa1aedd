package io.ordercqrs.command.customer;

import io.ordercqrs.events.CustomerId;

/** Command: register a customer under the given id. */
public record RegisterCustomer(CustomerId customerId, String name, String email) {
}
