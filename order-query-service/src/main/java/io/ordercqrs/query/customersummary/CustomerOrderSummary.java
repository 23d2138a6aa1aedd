package io.ordercqrs.query.customersummary;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.ordercqrs.query.orderview.Amount;
import io.ordercqrs.query.orderview.OrderStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One customer's orders at a glance, for an account page.
 *
 * @param id             the customer id
 * @param name           the customer's name, {@code null} until their events arrive
 * @param email          the customer's email, {@code null} until their events arrive
 * @param orderCount     how many orders the customer has placed
 * @param countsByStatus how many of them stand in each status
 * @param lifetimeSpend  what the customer has paid for orders not cancelled, per currency
 * @param lastOrder      the most recently placed order
 * @param recentOrders   the most recently placed orders, newest first
 * @param sourceStamp    grows with every change of the documents this summary is computed from;
 *                       a summary is only replaced by one computed from newer sources
 * @param updatedAt      when the newest event this summary reflects occurred
 */
@Document("customer_order_summaries")
public record CustomerOrderSummary(
        @Id String id,
        String name,
        String email,
        long orderCount,
        Map<OrderStatus, Long> countsByStatus,
        List<Amount> lifetimeSpend,
        RecentOrder lastOrder,
        List<RecentOrder> recentOrders,
        @JsonIgnore long sourceStamp,
        Instant updatedAt) {

    public CustomerOrderSummary {
        countsByStatus = countsByStatus == null ? Map.of() : Map.copyOf(countsByStatus);
        lifetimeSpend = lifetimeSpend == null ? List.of() : List.copyOf(lifetimeSpend);
        recentOrders = recentOrders == null ? List.of() : List.copyOf(recentOrders);
    }

    /** An order as the summary lists it. */
    public record RecentOrder(String orderId, OrderStatus status, Amount total, Instant placedAt) {
    }
}
