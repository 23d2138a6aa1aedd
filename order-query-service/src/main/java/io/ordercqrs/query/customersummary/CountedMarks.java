package io.ordercqrs.query.customersummary;

import io.ordercqrs.query.orderview.OrderView;
import java.util.HashMap;
import java.util.Map;
import org.bson.Document;
import org.jspecify.annotations.Nullable;

/**
 * Which order changes a customer's totals count (see {@link CustomerOrderTotals}).
 *
 * @param orderOffsets per partition: the offset up to which in-order changes are counted
 * @param lateOrders   per order with late changes: the last late change counted
 */
record CountedMarks(Map<String, Long> orderOffsets, Map<String, Long> lateOrders) {

    private static final CountedMarks NONE = new CountedMarks(Map.of(), Map.of());

    CountedMarks {
        orderOffsets = Map.copyOf(orderOffsets);
        lateOrders = Map.copyOf(lateOrders);
    }

    /** {@code marks}, or none for totals not there yet. */
    static CountedMarks orNone(@Nullable CountedMarks marks) {
        return marks == null ? NONE : marks;
    }

    /** The marks of stored totals, read as the driver's own document (only the two mark fields are needed). */
    static CountedMarks of(Document totals) {
        return new CountedMarks(longs(totals.get("orderOffsets", Document.class)),
                longs(totals.get("lateOrders", Document.class)));
    }

    private static Map<String, Long> longs(@Nullable Document marks) {
        Map<String, Long> longs = new HashMap<>();
        if (marks != null) {
            marks.forEach((key, value) -> {
                if (value instanceof Number number) {
                    longs.put(key, number.longValue());
                }
            });
        }
        return longs;
    }

    /** The offset of {@code partition} up to which in-order changes are counted, {@code -1} if none. */
    long countedUpTo(int partition) {
        return orderOffsets.getOrDefault(CustomerOrderTotals.partitionKey(partition), -1L);
    }

    /** The last late change of {@code orderId} counted, {@code 0} if none. */
    long lateCounted(String orderId) {
        return lateOrders.getOrDefault(orderId, 0L);
    }

    /**
     * Whether these marks count the event of {@code view} at {@code change}, by where it was read; a
     * late change the view records as counted is counted whatever the marks say.
     */
    boolean counts(OrderView view, OrderView.StatusChange change) {
        if (change.origin().countedLate()) {
            return true;
        }
        return change.origin().late() ? change.version() <= lateCounted(view.id())
                : change.origin().offset() <= countedUpTo(change.origin().partition());
    }

    /** The marks without the one of {@code orderId}'s late changes, if it stands at {@code version}. */
    CountedMarks forgetting(String orderId, long version) {
        if (lateCounted(orderId) != version) {
            return this;
        }
        Map<String, Long> late = new HashMap<>(lateOrders);
        late.remove(orderId);
        return new CountedMarks(orderOffsets, late);
    }

    /** The marks once {@code increment} is counted. */
    CountedMarks after(CustomerTotalsRefresh.Increment increment) {
        Map<String, Long> offsets = new HashMap<>(orderOffsets);
        increment.offsetsAfter().forEach((key, offset) -> offsets.merge(key, offset, Math::max));
        Map<String, Long> late = new HashMap<>(lateOrders);
        increment.lateAfter().forEach((order, version) -> late.merge(order, version, Math::max));
        return new CountedMarks(offsets, late);
    }
}
