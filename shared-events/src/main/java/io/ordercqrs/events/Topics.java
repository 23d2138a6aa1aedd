package io.ordercqrs.events;

import java.util.List;

/** Names of the Kafka topics events travel on: one topic per aggregate type, keyed by aggregate id. */
public final class Topics {

    /** Events of customers ({@link CustomerEvent}). */
    public static final String CUSTOMER_EVENTS = "orders.customer.events";

    /** Events of orders ({@link OrderEvent}). */
    public static final String ORDER_EVENTS = "orders.order.events";

    /** Every event topic. */
    public static final List<String> ALL = List.of(CUSTOMER_EVENTS, ORDER_EVENTS);

    private Topics() {
    }
}
