package io.ordercqrs.query.orderview;

import io.ordercqrs.events.OrderCancelled;
import io.ordercqrs.events.OrderDelivered;
import io.ordercqrs.events.OrderEvent;
import io.ordercqrs.events.OrderPaid;
import io.ordercqrs.events.OrderPlaced;
import io.ordercqrs.events.OrderShipped;
import io.ordercqrs.query.customer.CustomerView;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds order events into an {@link OrderView}: a pure function from the view so far and the next
 * event to the next view. Whether the event is the next one is checked before (see
 * {@code SequenceCheck}); the command side has already enforced the order's rules, so the view
 * records facts without judging them.
 */
public final class OrderViewProjector {

    private OrderViewProjector() {
    }

    /**
     * The view after {@code event}.
     *
     * @param current the view so far, {@code null} before the order was placed
     */
    public static OrderView apply(OrderView current, OrderEvent event) {
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
                        null, null, null, List.of(new OrderView.StatusChange(OrderStatus.PLACED, at, placed.sequence())),
                        at, at);
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

            private OrderView next(OrderEvent applied, OrderStatus status, OrderView.Payment payment,
                    OrderView.Shipment shipment, String cancellationReason) {
                OrderView view = required();
                Instant at = millis(applied.occurredAt());
                List<OrderView.StatusChange> timeline = new ArrayList<>(view.timeline());
                timeline.add(new OrderView.StatusChange(status, at, applied.sequence()));
                return new OrderView(view.id(), applied.sequence(), view.revision(), view.customerId(),
                        view.customerName(), view.customerEmail(), view.customerVersion(), status, view.lines(),
                        view.total(), view.shippingAddress(), payment, shipment,
                        cancellationReason != null ? cancellationReason : view.cancellationReason(), timeline,
                        view.placedAt(), at);
            }
        });
    }

    /** The view with the customer's details, unless it already has these or newer ones. */
    public static OrderView withCustomer(OrderView view, CustomerView customer) {
        if (customer == null || !customer.id().equals(view.customerId())
                || customer.version() <= view.customerVersion()) {
            return view;
        }
        return new OrderView(view.id(), view.version(), view.revision(), view.customerId(), customer.name(),
                customer.email(), customer.version(), view.status(), view.lines(), view.total(),
                view.shippingAddress(), view.payment(), view.shipment(), view.cancellationReason(), view.timeline(),
                view.placedAt(), view.updatedAt());
    }

    /** Views keep milliseconds, what MongoDB dates hold, so a view reads back exactly as it was written. */
    static Instant millis(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
