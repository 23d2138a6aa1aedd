package io.ordercqrs.events;

import static io.ordercqrs.events.EventFields.requireCommon;
import static io.ordercqrs.events.EventFields.requireText;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A customer placed an order: what was ordered, at which prices, and where it goes. Always the
 * order's first event. All amounts share the total's currency, and the total is the sum of the
 * lines' subtotals.
 */
public record OrderPlaced(UUID eventId, OrderId orderId, long sequence, Instant occurredAt,
        CustomerId customerId, List<Line> lines, Money total, ShippingAddress shippingAddress) implements OrderEvent {

    public OrderPlaced {
        requireCommon(eventId, orderId, sequence, occurredAt);
        Objects.requireNonNull(customerId, "customerId must not be null");
        Objects.requireNonNull(total, "total must not be null");
        Objects.requireNonNull(shippingAddress, "shippingAddress must not be null");
        if (lines == null || lines.isEmpty()) {
            throw new IllegalArgumentException("an order needs at least one line");
        }
        lines = List.copyOf(lines);
        Money sum = Money.zero(total.currency());
        for (Line line : lines) {
            sum = sum.plus(line.subtotal());
        }
        if (!sum.equals(total)) {
            throw new IllegalArgumentException("total " + total + " is not the sum of the lines (" + sum + ")");
        }
    }

    @Override
    public <R> R dispatch(Handler<R> handler) {
        return handler.on(this);
    }

    /** One ordered product: how many, at which unit price. */
    public record Line(String sku, String productName, int quantity, Money unitPrice) {

        public Line {
            requireText(sku, "sku");
            requireText(productName, "productName");
            Objects.requireNonNull(unitPrice, "unitPrice must not be null");
            if (quantity < 1) {
                throw new IllegalArgumentException("quantity must be at least 1 but was " + quantity);
            }
            if (unitPrice.isNegative()) {
                throw new IllegalArgumentException("unitPrice must not be negative");
            }
        }

        /** Unit price times quantity. */
        public Money subtotal() {
            return unitPrice.times(quantity);
        }
    }
}
