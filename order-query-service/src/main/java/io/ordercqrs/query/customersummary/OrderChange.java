package io.ordercqrs.query.customersummary;

import io.ordercqrs.query.orderview.Amount;
import io.ordercqrs.query.orderview.OrderStatus;
import io.ordercqrs.query.orderview.OrderView;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * What one event of an order changes in its customer's totals, derived from the order's view
 * alone (its timeline has every status with the event that caused it), so it can be derived again
 * whenever a batch runs again.
 *
 * @param newOrder   whether the event placed the order
 * @param counts     the change of each status' count
 * @param spend      the change of the spend, per currency
 * @param occurredAt when the event occurred
 */
record OrderChange(boolean newOrder, Map<OrderStatus, Long> counts, Map<String, BigDecimal> spend,
        Instant occurredAt) {

    /** The change the event of sequence {@code sequence} made to {@code view}'s contribution. */
    static OrderChange of(OrderView view, long sequence) {
        OrderView.StatusChange change = view.change(sequence);
        if (change == null) {
            throw new IllegalArgumentException("Order " + view.id() + " has no event " + sequence);
        }
        OrderView.StatusChange before = sequence > 1 ? view.change(sequence - 1) : null;
        Map<OrderStatus, Long> counts = new TreeMap<>();
        Map<String, BigDecimal> spend = new TreeMap<>();
        if (before != null) {
            counts.merge(before.status(), -1L, Long::sum);
            paid(view, before.status(), spend, BigDecimal::negate);
        }
        counts.merge(change.status(), 1L, Long::sum);
        paid(view, change.status(), spend, amount -> amount);
        counts.values().removeIf(count -> count == 0);
        spend.values().removeIf(amount -> amount.signum() == 0);
        return new OrderChange(sequence == 1, counts, spend, change.at());
    }

    boolean changesNothing() {
        return !newOrder && counts.isEmpty() && spend.isEmpty();
    }

    private static void paid(OrderView view, OrderStatus status, Map<String, BigDecimal> spend,
            UnaryOperator<BigDecimal> sign) {
        OrderView.@Nullable Payment payment = view.payment();
        if (status.isPaid() && payment != null) {
            Amount amount = payment.amount();
            spend.merge(amount.currency(), sign.apply(amount.decimal()), BigDecimal::add);
        }
    }
}
