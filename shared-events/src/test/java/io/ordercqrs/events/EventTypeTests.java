package io.ordercqrs.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EventTypeTests {

    @Test
    void keepsThePublishedWireNames() {
        // Wire names are part of the published contract: consumers in the field match on them.
        assertThat(Arrays.stream(EventType.values()).map(EventType::wireName)).containsExactly(
                "customer.registered", "customer.details-changed", "order.placed", "order.paid", "order.shipped",
                "order.delivered", "order.cancelled");
    }

    @Test
    void coversEveryEventRecordOfTheSealedHierarchies() {
        assertThat(Arrays.stream(EventType.values()).map(EventType::recordType))
                .containsExactlyInAnyOrder(CustomerRegistered.class, CustomerDetailsChanged.class, OrderPlaced.class,
                        OrderPaid.class, OrderShipped.class, OrderDelivered.class, OrderCancelled.class);
        assertThat(SampleEvents.byType()).containsOnlyKeys(EventType.values());
    }

    @Test
    void routesEachTypeToItsAggregatesTopic() {
        assertThat(EventType.CUSTOMER_REGISTERED.aggregateType().topic()).isEqualTo("orders.customer.events");
        assertThat(EventType.ORDER_CANCELLED.aggregateType().topic()).isEqualTo("orders.order.events");
        assertThat(AggregateType.fromTopic("orders.order.events")).isEqualTo(AggregateType.ORDER);
        assertThatThrownBy(() -> AggregateType.fromTopic("elsewhere")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void findsTypesByWireNameOnly() {
        assertThat(EventType.fromWireName("order.paid")).contains(EventType.ORDER_PAID);
        assertThat(EventType.fromWireName("OrderPaid")).isEmpty();
        assertThat(EventType.fromWireName("io.ordercqrs.events.OrderPaid")).isEmpty();
    }

    @Test
    void dispatchesEveryOrderEventToItsHandlerMethod() {
        OrderEvent.Handler<String> names = new OrderEvent.Handler<>() {
            public String on(OrderPlaced event) { return "placed"; }
            public String on(OrderPaid event) { return "paid"; }
            public String on(OrderShipped event) { return "shipped"; }
            public String on(OrderDelivered event) { return "delivered"; }
            public String on(OrderCancelled event) { return "cancelled"; }
        };
        assertThat(SampleEvents.orderShipped().dispatch(names)).isEqualTo("shipped");
        assertThat(SampleEvents.orderCancelled().dispatch(names)).isEqualTo("cancelled");
    }
}
