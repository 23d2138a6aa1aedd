package io.ordercqrs.command.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.events.CustomerDetailsChanged;
import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.CustomerRegistered;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CustomerTests {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void registersWithItsFirstEvent() {
        Customer customer = Customer.register(CustomerId.of(UUID.randomUUID()), "Ada", "ada@example.com", NOW);

        assertThat(customer.version()).isEqualTo(1);
        assertThat(customer.pullEvents()).singleElement().isInstanceOfSatisfying(CustomerRegistered.class, event -> {
            assertThat(event.sequence()).isEqualTo(1);
            assertThat(event.email()).isEqualTo("ada@example.com");
        });
    }

    @Test
    void changesDetailsWithTheNextSequence() {
        Customer customer = Customer.register(CustomerId.of(UUID.randomUUID()), "Ada", "ada@example.com", NOW);
        customer.pullEvents();

        customer.changeDetails("Ada King", "ada@example.com", NOW);

        assertThat(customer.pullEvents()).singleElement().isInstanceOfSatisfying(CustomerDetailsChanged.class,
                event -> {
                    assertThat(event.sequence()).isEqualTo(2);
                    assertThat(event.name()).isEqualTo("Ada King");
                });
    }

    @Test
    void recordsNothingWhenNothingChanges() {
        Customer customer = Customer.register(CustomerId.of(UUID.randomUUID()), "Ada", "ada@example.com", NOW);
        customer.pullEvents();

        customer.changeDetails("Ada", "ada@example.com", NOW);

        assertThat(customer.pullEvents()).isEmpty();
    }
}
