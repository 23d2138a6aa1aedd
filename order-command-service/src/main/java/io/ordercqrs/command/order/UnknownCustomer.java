package io.ordercqrs.command.order;

import io.ordercqrs.events.CustomerId;

/** An order names a customer who is not registered (or whom the caller may not act for). */
public class UnknownCustomer extends RuntimeException {

    public UnknownCustomer(CustomerId id) {
        super("Customer " + id + " is not registered");
    }
}
