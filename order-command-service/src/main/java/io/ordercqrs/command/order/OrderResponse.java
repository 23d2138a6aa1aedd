package io.ordercqrs.command.order;

import io.swagger.v3.oas.annotations.media.Schema;
import io.ordercqrs.events.Money;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

/**
 * An order as the command side answers it: its state after the command and its new
 * {@code version}, which is also the response's {@code ETag}.
 */
public record OrderResponse(UUID id, UUID customerId, OrderStatus status, List<Line> lines, Amount total,
        ShippingAddress shippingAddress, Payment payment, Shipment shipment, Cancellation cancellation, long version,
        Instant placedAt, Instant updatedAt) {

    static OrderResponse of(Order order) {
        Currency currency = order.currency();
        Address address = order.shippingAddress();
        return new OrderResponse(order.orderId().value(), order.customerId().value(), order.status(),
                order.lines().stream().map(line -> new Line(line.sku(), line.productName(), line.quantity(),
                        Amount.of(line.unitPrice(currency)), Amount.of(line.subtotal(currency)))).toList(),
                Amount.of(order.total()),
                new ShippingAddress(address.recipient(), address.street(), address.postalCode(), address.city(),
                        address.country()),
                order.paidAt().map(at -> new Payment(order.paymentReference().orElseThrow(), Amount.of(order.total()),
                        at)).orElse(null),
                order.shippedAt().map(at -> new Shipment(order.carrier().orElseThrow(),
                        order.trackingNumber().orElseThrow(), at, order.deliveredAt().orElse(null))).orElse(null),
                order.cancelledAt().map(at -> new Cancellation(order.cancellationReason().orElseThrow(), at))
                        .orElse(null),
                order.version(), order.placedAt(), order.updatedAt());
    }

    /** An exact amount: a decimal string and its currency. */
    public record Amount(String amount, String currency) {

        static Amount of(Money money) {
            return new Amount(money.amount().toPlainString(), money.currency().getCurrencyCode());
        }
    }

    @Schema(name = "OrderLine", description = "A line of an order as answered")
    public record Line(String sku, String productName, int quantity, Amount unitPrice, Amount subtotal) {
    }

    public record ShippingAddress(String recipient, String street, String postalCode, String city, String country) {
    }

    public record Payment(String reference, Amount amount, Instant paidAt) {
    }

    public record Shipment(String carrier, String trackingNumber, Instant shippedAt, Instant deliveredAt) {
    }

    public record Cancellation(String reason, Instant cancelledAt) {
    }
}
