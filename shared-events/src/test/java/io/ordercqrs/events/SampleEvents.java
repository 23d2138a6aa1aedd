package io.ordercqrs.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** One fully populated event of every type, for contract tests. */
public final class SampleEvents {

    public static final CustomerId CUSTOMER = CustomerId.of("0b1f7a52-3c57-4f1e-9c1a-5c4c2f8e6d01");
    public static final OrderId ORDER = OrderId.of("6d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6");
    public static final Instant AT = Instant.parse("2026-11-23T09:15:30.123456Z");

    private SampleEvents() {
    }

    public static CustomerRegistered customerRegistered() {
        return new CustomerRegistered(UUID.fromString("00000000-0000-4000-8000-000000000001"), CUSTOMER, 1, AT,
                "Ada Lovelace", "ada@example.com");
    }

    public static CustomerDetailsChanged customerDetailsChanged() {
        return new CustomerDetailsChanged(UUID.fromString("00000000-0000-4000-8000-000000000002"), CUSTOMER, 2, AT,
                "Ada King", "ada.king@example.com");
    }

    public static OrderPlaced orderPlaced() {
        return new OrderPlaced(UUID.fromString("00000000-0000-4000-8000-000000000003"), ORDER, 1, AT, CUSTOMER,
                List.of(new OrderPlaced.Line("SKU-1", "Analytical Engine manual", 2, Money.of("12.50", "EUR")),
                        new OrderPlaced.Line("SKU-2", "Brass gear", 3, Money.of("0.99", "EUR"))),
                Money.of("27.97", "EUR"),
                new ShippingAddress("Ada Lovelace", "12 St James's Square", "SW1Y 4JH", "London", "GB"));
    }

    public static OrderPaid orderPaid() {
        return new OrderPaid(UUID.fromString("00000000-0000-4000-8000-000000000004"), ORDER, 2, AT, CUSTOMER,
                Money.of("27.97", "EUR"), "PAY-4711");
    }

    public static OrderShipped orderShipped() {
        return new OrderShipped(UUID.fromString("00000000-0000-4000-8000-000000000005"), ORDER, 3, AT, CUSTOMER,
                "DHL", "JJD000390007");
    }

    public static OrderDelivered orderDelivered() {
        return new OrderDelivered(UUID.fromString("00000000-0000-4000-8000-000000000006"), ORDER, 4, AT, CUSTOMER);
    }

    public static OrderCancelled orderCancelled() {
        return new OrderCancelled(UUID.fromString("00000000-0000-4000-8000-000000000007"), ORDER, 2, AT, CUSTOMER,
                "changed my mind");
    }

    public static List<DomainEvent> all() {
        return List.of(customerRegistered(), customerDetailsChanged(), orderPlaced(), orderPaid(), orderShipped(),
                orderDelivered(), orderCancelled());
    }

    public static Map<EventType, DomainEvent> byType() {
        return all().stream().collect(Collectors.toMap(EventType::of, Function.identity()));
    }
}
