package io.ordercqrs.command.order;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.Money;
import io.ordercqrs.events.OrderCancelled;
import io.ordercqrs.events.OrderDelivered;
import io.ordercqrs.events.OrderEvent;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.events.OrderPaid;
import io.ordercqrs.events.OrderPlaced;
import io.ordercqrs.events.OrderShipped;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Persistable;

/**
 * An order and the rules of its life: it can be paid only while placed (with exactly its total),
 * shipped only once paid, delivered only once shipped, and cancelled only before it ships. Its
 * version is the sequence number of its latest event; every change records exactly one event,
 * which the caller appends to the outbox.
 */
@Entity(name = "CustomerOrder")
@Table(name = "orders")
public class Order implements Persistable<UUID> {

    @Id
    private UUID id;

    @Column(name = "customer_id")
    private UUID customerId;

    @Enumerated(EnumType.STRING)
    private OrderStatus status;

    private String currency;

    private BigDecimal total;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "order_lines", joinColumns = @JoinColumn(name = "order_id"))
    @OrderColumn(name = "line_no")
    private List<OrderLine> lines = new ArrayList<>();

    @Embedded
    private Address shippingAddress;

    @Column(name = "payment_reference")
    private String paymentReference;

    private String carrier;

    @Column(name = "tracking_number")
    private String trackingNumber;

    @Column(name = "cancellation_reason")
    private String cancellationReason;

    @Version
    private long version;

    @Column(name = "placed_at")
    private Instant placedAt;

    @Column(name = "paid_at")
    private Instant paidAt;

    @Column(name = "shipped_at")
    private Instant shippedAt;

    @Column(name = "delivered_at")
    private Instant deliveredAt;

    @Column(name = "cancelled_at")
    private Instant cancelledAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    @Transient
    private boolean isNew;

    @Transient
    private final List<OrderEvent> recordedEvents = new ArrayList<>();

    protected Order() {
    }

    /** Places an order; records {@link OrderPlaced}. The total is the sum of the lines. */
    public static Order place(PlaceOrder command, Instant now) {
        Currency currency = command.currency();
        Order order = new Order();
        order.id = command.orderId().value();
        order.customerId = command.customerId().value();
        order.status = OrderStatus.PLACED;
        order.currency = currency.getCurrencyCode();
        Money total = Money.zero(currency);
        for (PlaceOrder.Line line : command.lines()) {
            Money unitPrice = new Money(line.unitPrice(), currency);
            order.lines.add(new OrderLine(line.sku(), line.productName(), line.quantity(), unitPrice.amount()));
            total = total.plus(unitPrice.times(line.quantity()));
        }
        order.total = total.amount();
        order.shippingAddress = command.shippingAddress();
        order.version = 1;
        order.placedAt = now;
        order.updatedAt = now;
        order.isNew = true;
        order.recordedEvents.add(new OrderPlaced(UUID.randomUUID(), command.orderId(), 1, now, command.customerId(),
                order.lines.stream().map(line -> line.toEventLine(currency)).toList(), total,
                order.shippingAddress.toEventAddress()));
        return order;
    }

    /** Pays the order in full; records {@link OrderPaid}. */
    public void pay(Money amount, String reference, Instant now) {
        switch (status) {
            case PLACED -> { }
            case CANCELLED -> throw new OrderAlreadyCancelled(orderId(), status, "be paid");
            default -> throw new OrderAlreadyPaid(orderId(), status, "be paid again");
        }
        if (!amount.equals(total())) {
            throw new PaymentDoesNotMatchTotal(orderId(), status, amount, total());
        }
        status = OrderStatus.PAID;
        paymentReference = reference;
        paidAt = now;
        record(new OrderPaid(UUID.randomUUID(), orderId(), nextSequence(), now, customerId(), amount, reference), now);
    }

    /** Hands a paid order to a carrier; records {@link OrderShipped}. */
    public void ship(String carrierName, String tracking, Instant now) {
        switch (status) {
            case PAID -> { }
            case PLACED -> throw new OrderNotPaid(orderId(), status, "be shipped");
            case CANCELLED -> throw new OrderAlreadyCancelled(orderId(), status, "be shipped");
            default -> throw new OrderAlreadyShipped(orderId(), status, "be shipped again");
        }
        status = OrderStatus.SHIPPED;
        carrier = carrierName;
        trackingNumber = tracking;
        shippedAt = now;
        record(new OrderShipped(UUID.randomUUID(), orderId(), nextSequence(), now, customerId(), carrierName, tracking),
                now);
    }

    /** Confirms a shipped order arrived; records {@link OrderDelivered}. */
    public void markDelivered(Instant now) {
        switch (status) {
            case SHIPPED -> { }
            case PLACED, PAID -> throw new OrderNotShipped(orderId(), status, "be delivered");
            case CANCELLED -> throw new OrderAlreadyCancelled(orderId(), status, "be delivered");
            default -> throw new OrderAlreadyDelivered(orderId(), status, "be delivered again");
        }
        status = OrderStatus.DELIVERED;
        deliveredAt = now;
        record(new OrderDelivered(UUID.randomUUID(), orderId(), nextSequence(), now, customerId()), now);
    }

    /** Cancels an order that has not shipped; records {@link OrderCancelled}. */
    public void cancel(String reason, Instant now) {
        switch (status) {
            case PLACED, PAID -> { }
            case CANCELLED -> throw new OrderAlreadyCancelled(orderId(), status, "be cancelled again");
            default -> throw new OrderAlreadyShipped(orderId(), status, "be cancelled");
        }
        status = OrderStatus.CANCELLED;
        cancellationReason = reason;
        cancelledAt = now;
        record(new OrderCancelled(UUID.randomUUID(), orderId(), nextSequence(), now, customerId(), reason), now);
    }

    /** The events recorded since the last call, for the outbox. */
    public List<OrderEvent> pullEvents() {
        List<OrderEvent> events = List.copyOf(recordedEvents);
        recordedEvents.clear();
        return events;
    }

    private void record(OrderEvent event, Instant now) {
        if (!recordedEvents.isEmpty()) {
            // Each event's sequence is the version after it; the version moves once per transaction.
            throw new IllegalStateException("An order records one event per transaction");
        }
        updatedAt = now;
        recordedEvents.add(event);
    }

    private long nextSequence() {
        return version + 1;
    }

    public OrderId orderId() {
        return OrderId.of(id);
    }

    public CustomerId customerId() {
        return CustomerId.of(customerId);
    }

    public OrderStatus status() {
        return status;
    }

    public Currency currency() {
        return Currency.getInstance(currency);
    }

    public Money total() {
        return new Money(total, currency());
    }

    public List<OrderLine> lines() {
        return List.copyOf(lines);
    }

    public Address shippingAddress() {
        return shippingAddress;
    }

    public Optional<String> paymentReference() {
        return Optional.ofNullable(paymentReference);
    }

    public Optional<String> carrier() {
        return Optional.ofNullable(carrier);
    }

    public Optional<String> trackingNumber() {
        return Optional.ofNullable(trackingNumber);
    }

    public Optional<String> cancellationReason() {
        return Optional.ofNullable(cancellationReason);
    }

    public long version() {
        return version;
    }

    public Instant placedAt() {
        return placedAt;
    }

    public Optional<Instant> paidAt() {
        return Optional.ofNullable(paidAt);
    }

    public Optional<Instant> shippedAt() {
        return Optional.ofNullable(shippedAt);
    }

    public Optional<Instant> deliveredAt() {
        return Optional.ofNullable(deliveredAt);
    }

    public Optional<Instant> cancelledAt() {
        return Optional.ofNullable(cancelledAt);
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    @Override
    public UUID getId() {
        return id;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void markNotNew() {
        isNew = false;
    }
}
