package io.ordercqrs.query.customersummary;

import io.ordercqrs.query.orderview.Amount;
import io.ordercqrs.query.orderview.OrderStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One customer's orders at a glance, for an account page.
 *
 * @param id             the customer id
 * @param name           the customer's name, {@code null} until their events arrive
 * @param email          the customer's email, {@code null} until their events arrive
 * @param orderCount     how many orders the customer has placed
 * @param countsByStatus how many of them stand in each status (statuses with none are left out)
 * @param lifetimeSpend  what the customer has paid for orders not cancelled, per currency
 * @param lastOrder      the most recently placed order, {@code null} before the first
 * @param recentOrders   the most recently placed orders, newest first
 * @param updatedAt      when the newest event this summary reflects occurred
 */
public record CustomerOrderSummary(
        String id,
        @Nullable String name,
        @Nullable String email,
        long orderCount,
        Map<OrderStatus, Long> countsByStatus,
        List<Amount> lifetimeSpend,
        @Nullable RecentOrder lastOrder,
        List<RecentOrder> recentOrders,
        @Nullable Instant updatedAt) {

    public CustomerOrderSummary {
        countsByStatus = countsByStatus == null ? Map.of() : Map.copyOf(countsByStatus);
        lifetimeSpend = lifetimeSpend == null ? List.of() : List.copyOf(lifetimeSpend);
        recentOrders = recentOrders == null ? List.of() : List.copyOf(recentOrders);
    }

    /** An order as the summary lists it. */
    public record RecentOrder(String orderId, OrderStatus status, Amount total, Instant placedAt) {
    }
}
