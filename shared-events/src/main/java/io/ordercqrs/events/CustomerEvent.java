package io.ordercqrs.events;

import java.util.UUID;

/** A fact about a customer. Published on {@link Topics#CUSTOMER_EVENTS}, keyed by customer id. */
public sealed interface CustomerEvent extends DomainEvent permits CustomerRegistered, CustomerDetailsChanged {

    CustomerId customerId();

    /** Calls the handler method for this event's type; adding an event type breaks every handler at compile time. */
    <R> R dispatch(Handler<R> handler);

    @Override
    default UUID aggregateId() {
        return customerId().value();
    }

    @Override
    default AggregateType aggregateType() {
        return AggregateType.CUSTOMER;
    }

    /** Handles each kind of customer event; implemented by projectors. */
    interface Handler<R> {

        R on(CustomerRegistered event);

        R on(CustomerDetailsChanged event);
    }
}
