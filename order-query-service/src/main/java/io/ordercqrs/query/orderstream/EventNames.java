package io.ordercqrs.query.orderstream;

import io.ordercqrs.events.EventType;
import io.ordercqrs.query.orderview.OrderView;

/** The name of a stream event: the wire type of the order event that made the view what it is. */
final class EventNames {

    private EventNames() {
    }

    static String of(OrderView view) {
        EventType type = switch (view.status()) {
            case PLACED -> EventType.ORDER_PLACED;
            case PAID -> EventType.ORDER_PAID;
            case SHIPPED -> EventType.ORDER_SHIPPED;
            case DELIVERED -> EventType.ORDER_DELIVERED;
            case CANCELLED -> EventType.ORDER_CANCELLED;
        };
        return type.wireName();
    }
}
