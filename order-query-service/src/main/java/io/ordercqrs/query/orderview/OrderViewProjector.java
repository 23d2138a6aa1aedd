package io.ordercqrs.query.orderview;

import io.ordercqrs.events.DomainEvent;
import io.ordercqrs.events.OrderCancelled;
import io.ordercqrs.events.OrderDelivered;
import io.ordercqrs.events.OrderEvent;
import io.ordercqrs.events.OrderPaid;
import io.ordercqrs.events.OrderPlaced;
import io.ordercqrs.events.OrderShipped;
import io.ordercqrs.query.customer.CustomerView;
import io.ordercqrs.query.customer.CustomerViews;
import io.ordercqrs.query.projection.Origin;
import io.ordercqrs.query.projection.Projector;
import io.ordercqrs.query.projection.ViewSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Folds order events into {@link OrderView}s. Whether an event is the next one is checked before;
 * the command side has already enforced the order's rules, so the view records facts without
 * judging them. Before the views are written, each gets its customer's details as they stand now
 * (the customers of the same batch are written first).
 */
@Component
@Order(1)
public class OrderViewProjector implements Projector<OrderView> {

    private final CustomerViews customers;
    private final OrderViews orderViews;

    OrderViewProjector(CustomerViews customers, OrderViews orderViews) {
        this.customers = customers;
        this.orderViews = orderViews;
    }

    @Override
    public String view() {
        return OrderView.VIEW;
    }

    @Override
    public Class<OrderView> documentType() {
        return OrderView.class;
    }

    @Override
    public @Nullable String documentId(DomainEvent event) {
        return event instanceof OrderEvent order ? order.orderId().toString() : null;
    }

    @Override
    public String id(OrderView document) {
        return document.id();
    }

    @Override
    public long version(OrderView document) {
        return document.version();
    }

    @Override
    public OrderView apply(@Nullable OrderView current, DomainEvent event, Origin origin, @Nullable String traceId) {
        return fold(current, (OrderEvent) event, origin, traceId);
    }

    /**
     * Joins each view's customer details (leaving a placeholder for customers not known yet, see
     * {@code CustomerViews}), and keeps for each event the view had before where it was read, so
     * that a view re-derived from another source is counted as it was.
     */
    @Override
    public Map<String, OrderView> complete(Map<String, OrderView> documents, Map<String, OrderView> stored,
            ViewSet views) {
        List<String> customerIds = documents.values().stream().map(OrderView::customerId).distinct().toList();
        Map<String, CustomerView> known = customers.in(views).findAll(customerIds);
        customers.in(views).awaitDetails(customerIds.stream().filter(id -> !known.containsKey(id)).toList());
        Map<String, OrderView> completed = new LinkedHashMap<>();
        documents.forEach((id, view) -> completed.put(id,
                withCustomer(keepingOrigins(view, stored.get(id)), known.get(view.customerId()))));
        return completed;
    }

    @Override
    public void prepare(ViewSet views) {
        orderViews.in(views).ensureIndexes();
    }

    @Override
    public long revision(OrderView document) {
        return document.revision();
    }

    @Override
    public OrderView withRevision(OrderView document, long revision) {
        return document.withRevision(revision);
    }

    /**
     * The view after {@code event}, a pure function.
     *
     * @param current the view so far, {@code null} before the order was placed
     * @param origin  where the event was read
     * @param traceId the trace of the request that caused the event, recorded in its timeline entry
     */
    public static OrderView fold(@Nullable OrderView current, OrderEvent event, Origin origin,
            @Nullable String traceId) {
        return event.dispatch(new OrderEvent.Handler<>() {
            @Override
            public OrderView on(OrderPlaced placed) {
                Instant at = millis(placed.occurredAt());
                List<OrderView.Line> lines = placed.lines().stream()
                        .map(line -> new OrderView.Line(line.sku(), line.productName(), line.quantity(),
                                Amount.of(line.unitPrice()), Amount.of(line.subtotal())))
                        .toList();
                var address = placed.shippingAddress();
                return new OrderView(placed.orderId().toString(), placed.sequence(), 0,
                        placed.customerId().toString(), null, null, 0, OrderStatus.PLACED, lines,
                        Amount.of(placed.total()), new OrderView.Address(address.recipient(), address.street(),
                                address.postalCode(), address.city(), address.country()),
                        null, null, null,
                        List.of(OrderView.StatusChange.of(OrderStatus.PLACED, at, placed.sequence(), origin,
                                traceId)), at, at);
            }

            @Override
            public OrderView on(OrderPaid paid) {
                Instant at = millis(paid.occurredAt());
                return next(paid, OrderStatus.PAID, new OrderView.Payment(Amount.of(paid.amount()),
                        paid.paymentReference(), at), required().shipment(), null);
            }

            @Override
            public OrderView on(OrderShipped shipped) {
                Instant at = millis(shipped.occurredAt());
                return next(shipped, OrderStatus.SHIPPED, required().payment(),
                        new OrderView.Shipment(shipped.carrier(), shipped.trackingNumber(), at, null), null);
            }

            @Override
            public OrderView on(OrderDelivered delivered) {
                OrderView.Shipment shipment = required().shipment();
                Instant at = millis(delivered.occurredAt());
                OrderView.Shipment arrived = shipment == null
                        ? new OrderView.Shipment(null, null, null, at)
                        : new OrderView.Shipment(shipment.carrier(), shipment.trackingNumber(), shipment.shippedAt(), at);
                return next(delivered, OrderStatus.DELIVERED, required().payment(), arrived, null);
            }

            @Override
            public OrderView on(OrderCancelled cancelled) {
                return next(cancelled, OrderStatus.CANCELLED, required().payment(), required().shipment(),
                        cancelled.reason());
            }

            private OrderView required() {
                if (current == null) {
                    throw new IllegalStateException("Order " + event.orderId() + " has no view to apply "
                            + event.getClass().getSimpleName() + " to");
                }
                return current;
            }

            private OrderView next(OrderEvent applied, OrderStatus status, OrderView.@Nullable Payment payment,
                    OrderView.@Nullable Shipment shipment, @Nullable String cancellationReason) {
                OrderView view = required();
                Instant at = millis(applied.occurredAt());
                List<OrderView.StatusChange> timeline = new ArrayList<>(view.timeline());
                timeline.add(OrderView.StatusChange.of(status, at, applied.sequence(), origin, traceId));
                return new OrderView(view.id(), applied.sequence(), view.revision(), view.customerId(),
                        view.customerName(), view.customerEmail(), view.customerVersion(), status, view.lines(),
                        view.total(), view.shippingAddress(), payment, shipment,
                        cancellationReason != null ? cancellationReason : view.cancellationReason(), timeline,
                        view.placedAt(), at);
            }
        });
    }

    /** The view with the customer's details, unless it already has these or newer ones. */
    public static OrderView withCustomer(OrderView view, @Nullable CustomerView customer) {
        if (customer == null || !customer.id().equals(view.customerId())
                || customer.version() <= view.customerVersion()) {
            return view;
        }
        return new OrderView(view.id(), view.version(), view.revision(), view.customerId(), customer.name(),
                customer.email(), customer.version(), view.status(), view.lines(), view.total(),
                view.shippingAddress(), view.payment(), view.shipment(), view.cancellationReason(), view.timeline(),
                view.placedAt(), view.updatedAt());
    }

    /** The view with the origins {@code stored} recorded for the events both have. */
    private static OrderView keepingOrigins(OrderView view, @Nullable OrderView stored) {
        if (stored == null) {
            return view;
        }
        boolean differs = false;
        List<OrderView.StatusChange> timeline = new ArrayList<>();
        for (OrderView.StatusChange change : view.timeline()) {
            OrderView.StatusChange before = stored.change(change.version());
            if (before != null && !before.origin().equals(change.origin())) {
                timeline.add(change.from(before.origin()));
                differs = true;
            }
            else {
                timeline.add(change);
            }
        }
        if (!differs) {
            return view;
        }
        return new OrderView(view.id(), view.version(), view.revision(), view.customerId(), view.customerName(),
                view.customerEmail(), view.customerVersion(), view.status(), view.lines(), view.total(),
                view.shippingAddress(), view.payment(), view.shipment(), view.cancellationReason(), timeline,
                view.placedAt(), view.updatedAt());
    }

    /** Views keep milliseconds, what MongoDB dates hold, so a view reads back exactly as it was written. */
    static Instant millis(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
