package io.ordercqrs.command.customer;

import io.ordercqrs.events.CustomerId;

/** No customer with this id exists, or the caller may not see it. */
public class CustomerNotFound extends RuntimeException {

    public CustomerNotFound(CustomerId id) {
        super("Customer " + id + " was not found");
    }
}
