package io.ordercqrs.command.customer;

import io.ordercqrs.events.CustomerId;

/**
 * Command: change a customer's name and email.
 *
 * @param expectedVersion the version the caller last saw ({@code If-Match}), or {@code null}
 */
public record ChangeCustomerDetails(CustomerId customerId, String name, String email, Long expectedVersion) {
}
