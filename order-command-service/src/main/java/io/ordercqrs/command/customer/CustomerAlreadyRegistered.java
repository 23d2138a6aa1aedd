package io.ordercqrs.command.customer;

import io.ordercqrs.events.CustomerId;

/** A customer with this id is registered already. */
public class CustomerAlreadyRegistered extends RuntimeException {

    public CustomerAlreadyRegistered(CustomerId id) {
        super("Customer " + id + " is registered already");
    }
}
