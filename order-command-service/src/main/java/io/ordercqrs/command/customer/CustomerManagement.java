package io.ordercqrs.command.customer;

import io.ordercqrs.command.outbox.OutboxWriter;
import io.ordercqrs.service.security.Caller;
import io.ordercqrs.command.web.VersionMismatch;
import io.ordercqrs.events.CustomerId;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Carries out customer commands: each changes one customer and appends its event to the outbox. */
@Service
public class CustomerManagement {

    private final Customers customers;
    private final OutboxWriter outbox;
    private final Clock clock;

    CustomerManagement(Customers customers, OutboxWriter outbox, Clock clock) {
        this.customers = customers;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Transactional
    public Customer register(RegisterCustomer command) {
        if (customers.existsById(command.customerId().value())) {
            throw new CustomerAlreadyRegistered(command.customerId());
        }
        if (customers.isEmailTakenByAnother(command.email(), command.customerId().value())) {
            throw new EmailAlreadyRegistered(command.email());
        }
        Customer customer = Customer.register(command.customerId(), command.name(), command.email(), now());
        outbox.append(customer.pullEvents());
        return customers.saveAndFlush(customer);
    }

    @Transactional
    public Customer changeDetails(ChangeCustomerDetails command, Caller caller) {
        Customer customer = find(command.customerId(), caller);
        VersionMismatch.check(command.expectedVersion(), customer.version());
        if (customers.isEmailTakenByAnother(command.email(), command.customerId().value())) {
            throw new EmailAlreadyRegistered(command.email());
        }
        customer.changeDetails(command.name(), command.email(), now());
        outbox.append(customer.pullEvents());
        // Flushing here surfaces a lost race as an exception now, and moves the version the answer carries.
        return customers.saveAndFlush(customer);
    }

    @Transactional(readOnly = true)
    public Customer find(CustomerId id, Caller caller) {
        if (!caller.mayActFor(id)) {
            throw new CustomerNotFound(id);
        }
        return customers.findById(id.value()).orElseThrow(() -> new CustomerNotFound(id));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
