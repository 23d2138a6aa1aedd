package io.ordercqrs.benchmarks;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.Money;
import io.ordercqrs.events.OrderDelivered;
import io.ordercqrs.events.OrderEvent;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.events.OrderPaid;
import io.ordercqrs.events.OrderPlaced;
import io.ordercqrs.events.OrderShipped;
import io.ordercqrs.events.ShippingAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Realistic order events: placed, paid, shipped, delivered. */
final class BenchmarkEvents {

    private BenchmarkEvents() {
    }

    /** Event {@code sequence} (1 to 4) of an order's life. */
    static OrderEvent lifecycle(UUID order, UUID customer, int sequence) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        OrderId id = OrderId.of(order);
        CustomerId owner = CustomerId.of(customer);
        return switch (sequence) {
            case 1 -> new OrderPlaced(UUID.randomUUID(), id, 1, now, owner,
                    List.of(new OrderPlaced.Line("SKU-1", "Analytical Engine manual", 2, Money.of("12.50", "EUR")),
                            new OrderPlaced.Line("SKU-2", "Brass gear", 3, Money.of("0.99", "EUR"))),
                    Money.of("27.97", "EUR"), new ShippingAddress("Ada Lovelace", "Unter den Linden 1", "10117",
                            "Berlin", "DE"));
            case 2 -> new OrderPaid(UUID.randomUUID(), id, 2, now, owner, Money.of("27.97", "EUR"), "PAY-" + order);
            case 3 -> new OrderShipped(UUID.randomUUID(), id, 3, now, owner, "DHL", "JJD" + sequence);
            case 4 -> new OrderDelivered(UUID.randomUUID(), id, 4, now, owner);
            default -> throw new IllegalArgumentException("an order has 4 events, not " + sequence);
        };
    }
}
