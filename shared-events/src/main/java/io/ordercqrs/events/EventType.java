package io.ordercqrs.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every event type with its stable wire name, the record it decodes into and the current version
 * of its JSON schema. Wire names never change; a changed shape gets a new schema version and an
 * upcaster from the old one.
 */
public enum EventType {

    CUSTOMER_REGISTERED("customer.registered", CustomerRegistered.class, 1),
    CUSTOMER_DETAILS_CHANGED("customer.details-changed", CustomerDetailsChanged.class, 1),
    ORDER_PLACED("order.placed", OrderPlaced.class, 2),
    ORDER_PAID("order.paid", OrderPaid.class, 1),
    ORDER_SHIPPED("order.shipped", OrderShipped.class, 1),
    ORDER_DELIVERED("order.delivered", OrderDelivered.class, 1),
    ORDER_CANCELLED("order.cancelled", OrderCancelled.class, 1);

    private static final Map<String, EventType> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));

    private static final Map<Class<?>, EventType> BY_RECORD = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::recordType, Function.identity()));

    private final String wireName;
    private final Class<? extends DomainEvent> recordType;
    private final int schemaVersion;

    EventType(String wireName, Class<? extends DomainEvent> recordType, int schemaVersion) {
        this.wireName = wireName;
        this.recordType = recordType;
        this.schemaVersion = schemaVersion;
    }

    /** The stable name on the wire ({@code ce_type}), for example {@code order.placed}. */
    public String wireName() {
        return wireName;
    }

    /** The record this type decodes into. */
    public Class<? extends DomainEvent> recordType() {
        return recordType;
    }

    /** The version of the JSON schema events of this type are written with today. */
    public int schemaVersion() {
        return schemaVersion;
    }

    /** The aggregate type whose topic carries events of this type. */
    public AggregateType aggregateType() {
        return CustomerEvent.class.isAssignableFrom(recordType) ? AggregateType.CUSTOMER : AggregateType.ORDER;
    }

    /** The type of the given event. */
    public static EventType of(DomainEvent event) {
        EventType type = BY_RECORD.get(event.getClass());
        if (type == null) {
            throw new IllegalStateException("No wire name registered for " + event.getClass().getSimpleName());
        }
        return type;
    }

    /** The type with the given wire name, if there is one. */
    public static Optional<EventType> fromWireName(String wireName) {
        return Optional.ofNullable(BY_WIRE_NAME.get(wireName));
    }
}
