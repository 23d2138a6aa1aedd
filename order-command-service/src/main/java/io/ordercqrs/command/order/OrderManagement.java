package io.ordercqrs.command.order;

import io.ordercqrs.command.outbox.OutboxWriter;
import io.ordercqrs.service.security.Caller;
import io.ordercqrs.command.web.VersionMismatch;
import io.ordercqrs.events.OrderId;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import org.hibernate.exception.ConstraintViolationException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Carries out order commands. Each loads one order the caller may act on, lets the aggregate
 * decide, and appends the resulting event to the outbox in the same transaction. Orders of other
 * customers are reported as not found, never as forbidden, so their existence does not leak.
 */
@Service
public class OrderManagement {

    private static final String CUSTOMER_FOREIGN_KEY = "orders_customer_id_fkey";

    private final Orders orders;
    private final OutboxWriter outbox;
    private final Clock clock;

    OrderManagement(Orders orders, OutboxWriter outbox, Clock clock) {
        this.orders = orders;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * Places an order. Whether its customer is registered is left to the database's foreign key,
     * which answers it in the same round trip as the insert.
     */
    @Transactional
    public Order place(PlaceOrder command, Caller caller) {
        if (!caller.mayActFor(command.customerId())) {
            throw new UnknownCustomer(command.customerId());
        }
        Order order = Order.place(command, now());
        outbox.append(order.pullEvents());
        try {
            return orders.saveAndFlush(order);
        }
        catch (DataIntegrityViolationException e) {
            if (violated(e, CUSTOMER_FOREIGN_KEY)) {
                throw new UnknownCustomer(command.customerId());
            }
            throw e;
        }
    }

    @Transactional
    public Order pay(PayOrder command, Caller caller) {
        return change(command.orderId(), command.expectedVersion(), caller,
                order -> order.pay(command.amount(), command.paymentReference(), now()));
    }

    @Transactional
    public Order ship(ShipOrder command, Caller caller) {
        return change(command.orderId(), command.expectedVersion(), caller, order -> {
            caller.requireOps("ship orders");
            order.ship(command.carrier(), command.trackingNumber(), now());
        });
    }

    @Transactional
    public Order markDelivered(MarkOrderDelivered command, Caller caller) {
        return change(command.orderId(), command.expectedVersion(), caller, order -> {
            caller.requireOps("mark orders delivered");
            order.markDelivered(now());
        });
    }

    @Transactional
    public Order cancel(CancelOrder command, Caller caller) {
        return change(command.orderId(), command.expectedVersion(), caller,
                order -> order.cancel(command.reason(), now()));
    }

    @Transactional(readOnly = true)
    public Order find(OrderId id, Caller caller) {
        return orders.findById(id.value())
                .filter(order -> caller.mayActFor(order.customerId()))
                .orElseThrow(() -> new OrderNotFound(id));
    }

    private Order change(OrderId id, Long expectedVersion, Caller caller, Consumer<Order> decision) {
        Order order = find(id, caller);
        VersionMismatch.check(expectedVersion, order.version());
        decision.accept(order);
        outbox.append(order.pullEvents());
        // Flushing here surfaces a lost race as an exception now, and moves the version the answer carries.
        return orders.saveAndFlush(order);
    }

    private static boolean violated(DataIntegrityViolationException e, String constraint) {
        for (Throwable cause = e; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof ConstraintViolationException violation
                    && constraint.equals(violation.getConstraintName())) {
                return true;
            }
        }
        return false;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
