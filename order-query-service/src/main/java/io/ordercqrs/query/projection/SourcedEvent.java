package io.ordercqrs.query.projection;

import io.ordercqrs.events.DomainEvent;

/** An event read from somewhere other than a consumer: a replay's source, with where it was read. */
public record SourcedEvent(DomainEvent event, Origin origin) {
}
