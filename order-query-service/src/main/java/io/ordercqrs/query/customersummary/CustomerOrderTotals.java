package io.ordercqrs.query.customersummary;

import io.ordercqrs.query.orderview.OrderStatus;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.projection.Origin;
import java.time.Instant;
import java.util.Map;
import org.bson.types.Decimal128;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;

/**
 * The counted part of a customer's summary, kept with atomic increments so that batches of
 * different partitions update it side by side. Which order changes it has counted is kept in a
 * size that does not grow with the customer's orders: per partition of the order topic, the offset
 * up to which changes read in order are counted; per order with changes applied late (rare), the
 * last such change counted, until the order's view records them as counted (see
 * {@code CustomerTotalsRefresh}).
 *
 * @param id             the customer id
 * @param orderCount     orders placed
 * @param countsByStatus orders per status
 * @param spend          paid for orders not cancelled, per currency
 * @param updatedAt      when the newest counted change occurred
 * @param orderOffsets   per partition ({@code p<n>}, and {@code history}, {@code history-2}, ... for the
 *                       reads of a rebuild from the command side's history): the offset up to which
 *                       in-order changes are counted
 * @param lateOrders     per order with late changes its view does not record as counted yet: the
 *                       last late change counted
 * @param revision       bumped by every update, the guard of a recount
 */
record CustomerOrderTotals(
        @Id String id,
        long orderCount,
        Map<OrderStatus, Long> countsByStatus,
        Map<String, Decimal128> spend,
        @Nullable Instant updatedAt,
        Map<String, Long> orderOffsets,
        Map<String, Long> lateOrders,
        long revision) {

    static final String VIEW = "customer_order_summaries";

    CustomerOrderTotals {
        countsByStatus = countsByStatus == null ? Map.of() : Map.copyOf(countsByStatus);
        spend = spend == null ? Map.of() : Map.copyOf(spend);
        orderOffsets = orderOffsets == null ? Map.of() : Map.copyOf(orderOffsets);
        lateOrders = lateOrders == null ? Map.of() : Map.copyOf(lateOrders);
    }

    static String partitionKey(int partition) {
        int read = Origin.historyRead(partition);
        return read == 0 ? "p" + partition : read == 1 ? "history" : "history-" + read;
    }

    /** Which order changes these totals count. */
    CountedMarks marks() {
        return new CountedMarks(orderOffsets, lateOrders);
    }

    /** Whether these totals count the event of {@code view} at {@code change}, by where it was read. */
    boolean counts(OrderView view, OrderView.StatusChange change) {
        return marks().counts(view, change);
    }
}
