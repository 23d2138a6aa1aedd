package io.ordercqrs.events;

import java.util.Arrays;

/** The kinds of aggregates that publish events, each with its own topic. */
public enum AggregateType {

    CUSTOMER("customer", Topics.CUSTOMER_EVENTS),
    ORDER("order", Topics.ORDER_EVENTS);

    private final String wireName;
    private final String topic;

    AggregateType(String wireName, String topic) {
        this.wireName = wireName;
        this.topic = topic;
    }

    /** Stable name stored with each event (for example in the outbox). */
    public String wireName() {
        return wireName;
    }

    /** The topic all events of this aggregate type are published to. */
    public String topic() {
        return topic;
    }

    /**
     * The aggregate type whose events travel on the given topic.
     *
     * @throws IllegalArgumentException when the topic carries no events of this contract
     */
    public static AggregateType fromTopic(String topic) {
        return Arrays.stream(values())
                .filter(type -> type.topic.equals(topic))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Topic '" + topic + "' carries no known aggregate's events"));
    }

    /**
     * Looks an aggregate type up by its wire name.
     *
     * @throws IllegalArgumentException when no aggregate type has that name
     */
    public static AggregateType fromWireName(String wireName) {
        return Arrays.stream(values())
                .filter(type -> type.wireName.equals(wireName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown aggregate type '" + wireName + "'"));
    }
}
