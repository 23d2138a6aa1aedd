package io.ordercqrs.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A fact that happened to one aggregate. Every event knows its own id, the aggregate it belongs
 * to, the aggregate's version after the event (its sequence number, starting at 1, without gaps)
 * and when it occurred.
 */
public sealed interface DomainEvent permits CustomerEvent, OrderEvent {

    /** Unique id of this event; consumers may use it to spot duplicates. */
    UUID eventId();

    /** The aggregate's version after this event: 1 for its first event, then 2, 3, ... */
    long sequence();

    /** When the fact happened on the command side. */
    Instant occurredAt();

    /** Id of the aggregate this event belongs to; also the Kafka record key. */
    UUID aggregateId();

    /** The kind of aggregate this event belongs to, which also decides its topic. */
    AggregateType aggregateType();
}
