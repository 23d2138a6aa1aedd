package io.ordercqrs.query.orderview;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.query.customer.CustomerView;
import io.ordercqrs.query.projection.Origin;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OrderViewProjectorTests {

    private final CustomerId customer = TestEvents.newCustomer();
    private final OrderId order = TestEvents.newOrder();
    private static final Origin AT = new Origin(3, 42);

    @Test
    void buildsTheViewOfAPlacedOrderWithLinesSubtotalsAndTotal() {
        OrderView view = OrderViewProjector.fold(null, TestEvents.placed(order, customer, T0), AT, null);

        assertThat(view.id()).isEqualTo(order.toString());
        assertThat(view.version()).isEqualTo(1);
        assertThat(view.customerId()).isEqualTo(customer.toString());
        assertThat(view.customerName()).isNull();
        assertThat(view.status()).isEqualTo(OrderStatus.PLACED);
        assertThat(view.lines()).extracting(OrderView.Line::productName, OrderView.Line::quantity,
                        line -> line.subtotal().amount())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Espresso beans 1 kg", 2, "25.00"),
                        org.assertj.core.groups.Tuple.tuple("Milk frother", 1, "5.00"));
        assertThat(view.total()).isEqualTo(new Amount("30.00", "EUR"));
        assertThat(view.shippingAddress().city()).isEqualTo("Berlin");
        assertThat(view.timeline()).containsExactly(OrderView.StatusChange.of(OrderStatus.PLACED, T0, 1, AT, null));
        assertThat(view.change(1).origin()).as("where the event was read, for the summaries").isEqualTo(AT);
        assertThat(view.placedAt()).isEqualTo(T0);
    }

    @Test
    void recordsEveryStepOfTheLifecycleOnTheTimeline() {
        Instant paidAt = T0.plusSeconds(60);
        Instant shippedAt = T0.plusSeconds(3600);
        Instant deliveredAt = T0.plusSeconds(86_400);
        OrderView view = OrderViewProjector.fold(null, TestEvents.placed(order, customer, T0), AT, null);
        view = OrderViewProjector.fold(view, TestEvents.paid(order, customer, paidAt), AT, null);
        view = OrderViewProjector.fold(view, TestEvents.shipped(order, customer, shippedAt), AT, null);
        view = OrderViewProjector.fold(view, TestEvents.delivered(order, customer, deliveredAt), AT, null);

        assertThat(view.version()).isEqualTo(4);
        assertThat(view.status()).isEqualTo(OrderStatus.DELIVERED);
        assertThat(view.payment()).isEqualTo(new OrderView.Payment(new Amount("30.00", "EUR"), "PAY-" + order, paidAt));
        assertThat(view.shipment()).isEqualTo(new OrderView.Shipment("DHL", "TRACK-1", shippedAt, deliveredAt));
        assertThat(view.timeline()).extracting(OrderView.StatusChange::status, OrderView.StatusChange::at)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(OrderStatus.PLACED, T0),
                        org.assertj.core.groups.Tuple.tuple(OrderStatus.PAID, paidAt),
                        org.assertj.core.groups.Tuple.tuple(OrderStatus.SHIPPED, shippedAt),
                        org.assertj.core.groups.Tuple.tuple(OrderStatus.DELIVERED, deliveredAt));
        assertThat(view.updatedAt()).isEqualTo(deliveredAt);
        assertThat(view.placedAt()).isEqualTo(T0);
    }

    @Test
    void keepsTheReasonOfACancellation() {
        OrderView view = OrderViewProjector.fold(null, TestEvents.placed(order, customer, T0), AT, null);
        view = OrderViewProjector.fold(view, TestEvents.cancelled(order, customer, 2, T0.plusSeconds(5)), AT, null);

        assertThat(view.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(view.cancellationReason()).isEqualTo("changed my mind");
    }

    @Test
    void keepsMillisecondsOnlyAsMongoDbDatesDo() {
        Instant precise = Instant.parse("2026-11-02T09:15:30.123456789Z");
        OrderView view = OrderViewProjector.fold(null, TestEvents.placed(order, customer, precise), AT, null);

        assertThat(view.placedAt()).isEqualTo(Instant.parse("2026-11-02T09:15:30.123Z"));
    }

    @Test
    void refusesAnEventForAnOrderItHasNoViewOf() {
        assertThatThrownBy(() -> OrderViewProjector.fold(null, TestEvents.paid(order, customer, T0), AT, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(order.toString());
    }

    @Test
    void joinsOnlyNewerDetailsOfTheOrdersOwnCustomer() {
        OrderView view = OrderViewProjector.fold(null, TestEvents.placed(order, customer, T0), AT, null);
        CustomerView v2 = new CustomerView(customer.toString(), "Ada King", "ada@example.org", 2, 1, T0);
        CustomerView v1 = new CustomerView(customer.toString(), "Ada Lovelace", "ada@old.example", 1, 1, T0);
        CustomerView someoneElse = new CustomerView(TestEvents.newCustomer().toString(), "Bob", "bob@example.org", 5, 1, T0);

        OrderView joined = OrderViewProjector.withCustomer(view, v2);

        assertThat(joined.customerName()).isEqualTo("Ada King");
        assertThat(joined.customerVersion()).isEqualTo(2);
        assertThat(OrderViewProjector.withCustomer(joined, v1)).isEqualTo(joined);
        assertThat(OrderViewProjector.withCustomer(view, someoneElse)).isEqualTo(view);
    }
}
