package io.ordercqrs.query.orderview;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One order, denormalized for an order screen: who ordered it (name and email joined from the
 * customer's events), what (lines with product names and subtotals), the totals, where it stands
 * and how it got there.
 *
 * @param id                the order id
 * @param version           the sequence of the last order event applied; event n applies only on n-1
 * @param revision          bumped by every write to this document, the guard of conditional writes
 * @param customerId        who placed the order
 * @param customerName      the customer's name, or {@code null} until the customer's events arrive
 * @param customerEmail     the customer's email, or {@code null} until the customer's events arrive
 * @param customerVersion   the customer's sequence these details come from, 0 while unknown
 * @param status            where the order stands
 * @param lines             what was ordered
 * @param total             the sum of the lines
 * @param shippingAddress   where it goes
 * @param payment           the payment, once paid
 * @param shipment          the shipment, once shipped
 * @param cancellationReason why it was cancelled, if it was
 * @param timeline          every status the order went through, with when
 * @param placedAt          when the order was placed
 * @param updatedAt         when the last event applied occurred
 */
@Document("order_views")
public record OrderView(
        @Id String id,
        long version,
        @JsonIgnore long revision,
        String customerId,
        String customerName,
        String customerEmail,
        @JsonIgnore long customerVersion,
        OrderStatus status,
        List<Line> lines,
        Amount total,
        Address shippingAddress,
        Payment payment,
        Shipment shipment,
        String cancellationReason,
        List<StatusChange> timeline,
        Instant placedAt,
        Instant updatedAt) {

    public OrderView {
        lines = lines == null ? List.of() : List.copyOf(lines);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }

    /** One order line, with its subtotal. */
    public record Line(String sku, String productName, int quantity, Amount unitPrice, Amount subtotal) {
    }

    /** Where the order is shipped to. */
    public record Address(String recipient, String street, String postalCode, String city, String country) {
    }

    /** How and when the order was paid. */
    public record Payment(Amount amount, String reference, Instant paidAt) {
    }

    /** Who carries the order, and when it left and arrived. */
    public record Shipment(String carrier, String trackingNumber, Instant shippedAt, Instant deliveredAt) {
    }

    /** The order entered {@code status} at {@code at}, with the event of sequence {@code version}. */
    public record StatusChange(OrderStatus status, Instant at, long version) {
    }

    /** This view as written for the {@code newRevision}th time. */
    public OrderView withRevision(long newRevision) {
        return new OrderView(id, version, newRevision, customerId, customerName, customerEmail, customerVersion, status,
                lines, total, shippingAddress, payment, shipment, cancellationReason, timeline, placedAt, updatedAt);
    }
}
