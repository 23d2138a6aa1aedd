package io.ordercqrs.query.orderview;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.ordercqrs.query.projection.Origin;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;

/**
 * One order, denormalized for an order screen: who ordered it (name and email joined from the
 * customer's events), what (lines with product names and subtotals), the totals, where it stands
 * and how it got there.
 *
 * @param id                 the order id
 * @param version            the sequence of the last order event applied; event n applies only on n-1
 * @param revision           bumped by every write to this document, the guard of conditional writes
 * @param customerId         who placed the order
 * @param customerName       the customer's name, or {@code null} until the customer's events arrive
 * @param customerEmail      the customer's email, or {@code null} until the customer's events arrive
 * @param customerVersion    the customer's sequence these details come from, 0 while unknown
 * @param status             where the order stands
 * @param lines              what was ordered
 * @param total              the sum of the lines
 * @param shippingAddress    where it goes
 * @param payment            the payment, once paid
 * @param shipment           the shipment, once shipped
 * @param cancellationReason why it was cancelled, if it was
 * @param timeline           every status the order went through, with when, one entry per event
 * @param placedAt           when the order was placed
 * @param updatedAt          when the last event applied occurred
 */
public record OrderView(
        @Id String id,
        long version,
        @JsonIgnore long revision,
        String customerId,
        @Nullable String customerName,
        @Nullable String customerEmail,
        @JsonIgnore long customerVersion,
        OrderStatus status,
        List<Line> lines,
        Amount total,
        Address shippingAddress,
        @Nullable Payment payment,
        @Nullable Shipment shipment,
        @Nullable String cancellationReason,
        List<StatusChange> timeline,
        Instant placedAt,
        Instant updatedAt) {

    /** The view's name; each generation's collection adds its suffix (see {@code ViewSet}). */
    public static final String VIEW = "order_views";

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
    public record Shipment(@Nullable String carrier, @Nullable String trackingNumber, @Nullable Instant shippedAt,
            @Nullable Instant deliveredAt) {
    }

    /**
     * The order entered {@code status} at {@code at}, with the event of sequence {@code version},
     * caused by the request of trace {@code traceId} (W3C trace id, absent when the event carried no
     * trace context). Where that event was read ({@code partition} and {@code offset}, both
     * {@code -1} when it was applied late) tells derived views whether they counted it already.
     */
    public record StatusChange(OrderStatus status, Instant at, long version, @Nullable String traceId,
            @JsonIgnore int partition, @JsonIgnore long offset) {

        public static StatusChange of(OrderStatus status, Instant at, long version, Origin origin,
                @Nullable String traceId) {
            return new StatusChange(status, at, version, traceId, origin.partition(), origin.offset());
        }

        public Origin origin() {
            return new Origin(partition, offset);
        }

        StatusChange from(Origin origin) {
            return of(status, at, version, origin, traceId);
        }
    }

    /** This view as written for the {@code newRevision}th time. */
    public OrderView withRevision(long newRevision) {
        return new OrderView(id, version, newRevision, customerId, customerName, customerEmail, customerVersion, status,
                lines, total, shippingAddress, payment, shipment, cancellationReason, timeline, placedAt, updatedAt);
    }

    /**
     * The view as readers see it, for comparing views: without the bookkeeping of writes, of the
     * customer details' source, of where each event was read and of the request's trace.
     */
    public OrderView asSeen() {
        List<StatusChange> seen = timeline.stream()
                .map(change -> new StatusChange(change.status(), change.at(), change.version(), null, 0, 0))
                .toList();
        return new OrderView(id, version, 0, customerId, customerName, customerEmail, 0, status, lines, total,
                shippingAddress, payment, shipment, cancellationReason, seen, placedAt, updatedAt);
    }

    /**
     * This view with every change applied late up to sequence {@code upTo} marked as counted by the
     * views derived from it ({@link Origin#COUNTED_LATE}), or {@code null} if there is none to mark.
     */
    public @Nullable OrderView withLateChangesCounted(long upTo) {
        boolean marked = false;
        List<StatusChange> changes = new ArrayList<>();
        for (StatusChange change : timeline) {
            boolean counted = change.origin().late() && !change.origin().countedLate() && change.version() <= upTo;
            changes.add(counted ? change.from(Origin.COUNTED_LATE) : change);
            marked |= counted;
        }
        return marked ? new OrderView(id, version, revision, customerId, customerName, customerEmail, customerVersion,
                status, lines, total, shippingAddress, payment, shipment, cancellationReason, changes, placedAt,
                updatedAt) : null;
    }

    /** The timeline entry of the event of sequence {@code sequence}, if the view has it. */
    public @Nullable StatusChange change(long sequence) {
        for (StatusChange change : timeline) {
            if (change.version() == sequence) {
                return change;
            }
        }
        return null;
    }
}
