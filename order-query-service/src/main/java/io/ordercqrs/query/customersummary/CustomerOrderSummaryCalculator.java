package io.ordercqrs.query.customersummary;

import io.ordercqrs.query.customer.CustomerView;
import io.ordercqrs.query.orderview.Amount;
import io.ordercqrs.query.orderview.OrderStatus;
import io.ordercqrs.query.orderview.OrderView;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes a customer's summary from their customer details and all their order views: a pure
 * function of the views, so a summary can never drift from them, and a duplicate or replayed event
 * cannot count twice.
 */
public final class CustomerOrderSummaryCalculator {

    private CustomerOrderSummaryCalculator() {
    }

    /**
     * @param customerId   whose summary
     * @param customer     their details, {@code null} if not known yet
     * @param orders       all their order views
     * @param recentOrders how many orders the summary lists
     */
    public static CustomerOrderSummary summarize(String customerId, CustomerView customer, List<OrderView> orders,
            int recentOrders) {
        Map<OrderStatus, Long> counts = new EnumMap<>(OrderStatus.class);
        Map<String, BigDecimal> spend = new TreeMap<>();
        long stamp = customer == null ? 0 : customer.version();
        Instant updatedAt = customer == null ? null : customer.updatedAt();
        for (OrderView order : orders) {
            counts.merge(order.status(), 1L, Long::sum);
            if (order.status().isPaid() && order.payment() != null) {
                Amount paid = order.payment().amount();
                spend.merge(paid.currency(), paid.decimal(), BigDecimal::add);
            }
            stamp += order.revision() + 1;
            if (updatedAt == null || (order.updatedAt() != null && order.updatedAt().isAfter(updatedAt))) {
                updatedAt = order.updatedAt();
            }
        }
        List<CustomerOrderSummary.RecentOrder> recent = orders.stream()
                .sorted(Comparator.comparing(OrderView::placedAt).reversed().thenComparing(OrderView::id))
                .limit(recentOrders)
                .map(order -> new CustomerOrderSummary.RecentOrder(order.id(), order.status(), order.total(),
                        order.placedAt()))
                .toList();
        List<Amount> lifetimeSpend = spend.entrySet().stream()
                .map(entry -> new Amount(entry.getValue().toPlainString(), entry.getKey()))
                .toList();
        return new CustomerOrderSummary(customerId, customer == null ? null : customer.name(),
                customer == null ? null : customer.email(), orders.size(), counts, lifetimeSpend,
                recent.isEmpty() ? null : recent.get(0), recent, stamp, updatedAt);
    }
}
