package io.ordercqrs.query;

import io.ordercqrs.events.CustomerDetailsChanged;
import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.CustomerRegistered;
import io.ordercqrs.events.Money;
import io.ordercqrs.events.OrderCancelled;
import io.ordercqrs.events.OrderDelivered;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.events.OrderPaid;
import io.ordercqrs.events.OrderPlaced;
import io.ordercqrs.events.OrderShipped;
import io.ordercqrs.events.ShippingAddress;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Events as the command side writes them, for one customer and their orders. */
public final class TestEvents {

    public static final Instant T0 = Instant.parse("2026-11-02T09:15:30.123Z");

    private TestEvents() {
    }

    public static CustomerId newCustomer() {
        return CustomerId.of(UUID.randomUUID());
    }

    public static OrderId newOrder() {
        return OrderId.of(UUID.randomUUID());
    }

    public static CustomerRegistered registered(CustomerId customer, String name, String email) {
        return new CustomerRegistered(UUID.randomUUID(), customer, 1, T0, name, email);
    }

    public static CustomerDetailsChanged detailsChanged(CustomerId customer, long sequence, String name, String email) {
        return new CustomerDetailsChanged(UUID.randomUUID(), customer, sequence, T0.plusSeconds(60 * sequence), name,
                email);
    }

    /** Two lines: 2 x 12.50 + 1 x 5.00 = 30.00 EUR. */
    public static OrderPlaced placed(OrderId order, CustomerId customer, Instant at) {
        return new OrderPlaced(UUID.randomUUID(), order, 1, at, customer, List.of(
                new OrderPlaced.Line("SKU-1", "Espresso beans 1 kg", 2, Money.of("12.50", "EUR")),
                new OrderPlaced.Line("SKU-2", "Milk frother", 1, Money.of("5.00", "EUR"))),
                Money.of("30.00", "EUR"),
                new ShippingAddress("Ada Lovelace", "1 Analytical Way", "10115", "Berlin", "DE"));
    }

    public static OrderPaid paid(OrderId order, CustomerId customer, Instant at) {
        return new OrderPaid(UUID.randomUUID(), order, 2, at, customer, Money.of("30.00", "EUR"), "PAY-" + order);
    }

    public static OrderShipped shipped(OrderId order, CustomerId customer, Instant at) {
        return new OrderShipped(UUID.randomUUID(), order, 3, at, customer, "DHL", "TRACK-1");
    }

    public static OrderDelivered delivered(OrderId order, CustomerId customer, Instant at) {
        return new OrderDelivered(UUID.randomUUID(), order, 4, at, customer);
    }

    public static OrderCancelled cancelled(OrderId order, CustomerId customer, long sequence, Instant at) {
        return new OrderCancelled(UUID.randomUUID(), order, sequence, at, customer, "changed my mind");
    }
}
