package io.ordercqrs.query.customersummary;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.OrderEvent;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.query.orderview.OrderStatus;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.orderview.OrderViewProjector;
import io.ordercqrs.query.projection.Origin;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** What each event of an order changes in its customer's totals, derived again from the view alone. */
class OrderChangeTests {

    private final CustomerId customer = TestEvents.newCustomer();
    private final OrderId order = TestEvents.newOrder();

    @Test
    void countsAPlacedOrderOnceAndAsPlaced() {
        OrderView view = view(TestEvents.placed(order, customer, T0));

        OrderChange change = OrderChange.of(view, 1);

        assertThat(change.newOrder()).isTrue();
        assertThat(change.counts()).containsOnly(entry(OrderStatus.PLACED, 1L));
        assertThat(change.spend()).isEmpty();
        assertThat(change.occurredAt()).isEqualTo(T0);
    }

    @Test
    void movesAPaidOrderFromPlacedToPaidAndAddsItsPayment() {
        OrderView view = view(TestEvents.placed(order, customer, T0), TestEvents.paid(order, customer, T0.plusSeconds(5)));

        OrderChange change = OrderChange.of(view, 2);

        assertThat(change.newOrder()).isFalse();
        assertThat(change.counts()).containsOnly(entry(OrderStatus.PLACED, -1L), entry(OrderStatus.PAID, 1L));
        assertThat(change.spend()).containsOnly(entry("EUR", new BigDecimal("30.00")));
    }

    @Test
    void keepsTheSpendWhileAPaidOrderShipsAndTakesItBackWhenAPaidOrderIsCancelled() {
        OrderId cancelled = TestEvents.newOrder();
        OrderView shipped = view(TestEvents.placed(order, customer, T0), TestEvents.paid(order, customer, T0),
                TestEvents.shipped(order, customer, T0));
        OrderView refunded = view(TestEvents.placed(cancelled, customer, T0), TestEvents.paid(cancelled, customer, T0),
                TestEvents.cancelled(cancelled, customer, 3, T0));

        assertThat(OrderChange.of(shipped, 3).spend()).as("still paid").isEmpty();
        assertThat(OrderChange.of(shipped, 3).counts())
                .containsOnly(entry(OrderStatus.PAID, -1L), entry(OrderStatus.SHIPPED, 1L));
        assertThat(OrderChange.of(refunded, 3).spend()).containsOnly(entry("EUR", new BigDecimal("-30.00")));
        assertThat(OrderChange.of(refunded, 3).counts())
                .containsOnly(entry(OrderStatus.PAID, -1L), entry(OrderStatus.CANCELLED, 1L));
    }

    @Test
    void derivesTheChangeOfAnEarlierEventFromALaterView() {
        OrderView delivered = view(TestEvents.placed(order, customer, T0), TestEvents.paid(order, customer, T0),
                TestEvents.shipped(order, customer, T0), TestEvents.delivered(order, customer, T0));

        assertThat(OrderChange.of(delivered, 2).counts())
                .containsOnly(entry(OrderStatus.PLACED, -1L), entry(OrderStatus.PAID, 1L));
        assertThat(OrderChange.of(delivered, 2).spend()).containsOnly(entry("EUR", new BigDecimal("30.00")));
    }

    private static OrderView view(OrderEvent... events) {
        OrderView view = null;
        for (OrderEvent event : events) {
            view = OrderViewProjector.fold(view, event, new Origin(0, event.sequence()), null);
        }
        return view;
    }
}
