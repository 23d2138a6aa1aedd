package io.ordercqrs.query.customer;

import io.ordercqrs.events.CustomerDetailsChanged;
import io.ordercqrs.events.CustomerEvent;
import io.ordercqrs.events.CustomerRegistered;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * What the read side knows of a customer: the details other views join in.
 *
 * @param id        the customer id
 * @param name      the customer's current name
 * @param email     the customer's current email
 * @param version   the sequence of the last customer event applied
 * @param updatedAt when that event occurred
 */
@Document("customers")
public record CustomerView(@Id String id, String name, String email, long version, Instant updatedAt) {

    /** The customer after {@code event}; {@code current} is {@code null} before registration. */
    public static CustomerView apply(CustomerView current, CustomerEvent event) {
        return event.dispatch(new CustomerEvent.Handler<>() {
            @Override
            public CustomerView on(CustomerRegistered registered) {
                return new CustomerView(registered.customerId().toString(), registered.name(), registered.email(),
                        registered.sequence(), registered.occurredAt().truncatedTo(ChronoUnit.MILLIS));
            }

            @Override
            public CustomerView on(CustomerDetailsChanged changed) {
                return new CustomerView(changed.customerId().toString(), changed.name(), changed.email(),
                        changed.sequence(), changed.occurredAt().truncatedTo(ChronoUnit.MILLIS));
            }
        });
    }
}
