package io.ordercqrs.command.customer;

import io.ordercqrs.events.CustomerDetailsChanged;
import io.ordercqrs.events.CustomerEvent;
import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.CustomerRegistered;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Persistable;

/**
 * A customer who can place orders. Its version is the sequence number of its latest event; every
 * change records exactly one event, which the caller appends to the outbox.
 */
@Entity
@Table(name = "customers")
public class Customer implements Persistable<UUID> {

    @Id
    private UUID id;

    private String name;

    private String email;

    @Version
    private long version;

    @Column(name = "registered_at")
    private Instant registeredAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    @Transient
    private boolean isNew;

    @Transient
    private final List<CustomerEvent> recordedEvents = new ArrayList<>();

    protected Customer() {
    }

    /** Registers a new customer; records {@link CustomerRegistered}. */
    public static Customer register(CustomerId id, String name, String email, Instant now) {
        Customer customer = new Customer();
        customer.id = id.value();
        customer.name = name;
        customer.email = email;
        customer.version = 1;
        customer.registeredAt = now;
        customer.updatedAt = now;
        customer.isNew = true;
        customer.recordedEvents.add(new CustomerRegistered(UUID.randomUUID(), id, 1, now, name, email));
        return customer;
    }

    /** Changes name and email; records {@link CustomerDetailsChanged} unless nothing changes. */
    public void changeDetails(String newName, String newEmail, Instant now) {
        if (newName.equals(name) && newEmail.equals(email)) {
            return;
        }
        requireNoPendingEvents();
        name = newName;
        email = newEmail;
        updatedAt = now;
        recordedEvents.add(new CustomerDetailsChanged(UUID.randomUUID(), customerId(), version + 1, now, name, email));
    }

    /** The events recorded since the last call, for the outbox. */
    public List<CustomerEvent> pullEvents() {
        List<CustomerEvent> events = List.copyOf(recordedEvents);
        recordedEvents.clear();
        return events;
    }

    private void requireNoPendingEvents() {
        if (!recordedEvents.isEmpty()) {
            // Each event's sequence is the version after it; the version moves once per transaction.
            throw new IllegalStateException("A customer records one event per transaction");
        }
    }

    public CustomerId customerId() {
        return CustomerId.of(id);
    }

    @Override
    public UUID getId() {
        return id;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void markNotNew() {
        isNew = false;
    }

    public String name() {
        return name;
    }

    public String email() {
        return email;
    }

    public long version() {
        return version;
    }

    public Instant registeredAt() {
        return registeredAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
