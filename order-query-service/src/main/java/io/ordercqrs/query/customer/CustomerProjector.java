package io.ordercqrs.query.customer;

import io.ordercqrs.events.CustomerDetailsChanged;
import io.ordercqrs.events.CustomerEvent;
import io.ordercqrs.events.CustomerRegistered;
import io.ordercqrs.events.DomainEvent;
import io.ordercqrs.query.projection.Origin;
import io.ordercqrs.query.projection.Projector;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Folds customer events into {@link CustomerView}s; runs first, so other views can join what it wrote. */
@Component
@Order(0)
public class CustomerProjector implements Projector<CustomerView> {

    @Override
    public String view() {
        return CustomerView.VIEW;
    }

    @Override
    public Class<CustomerView> documentType() {
        return CustomerView.class;
    }

    @Override
    public @Nullable String documentId(DomainEvent event) {
        return event instanceof CustomerEvent customer ? customer.customerId().toString() : null;
    }

    @Override
    public String id(CustomerView document) {
        return document.id();
    }

    @Override
    public long version(CustomerView document) {
        return document.version();
    }

    @Override
    public CustomerView apply(@Nullable CustomerView current, DomainEvent event, Origin origin,
            @Nullable String traceId) {
        long revision = current == null ? 0 : current.revision();
        return ((CustomerEvent) event).dispatch(new CustomerEvent.Handler<>() {
            @Override
            public CustomerView on(CustomerRegistered registered) {
                return new CustomerView(registered.customerId().toString(), registered.name(), registered.email(),
                        registered.sequence(), revision, millis(registered.occurredAt()));
            }

            @Override
            public CustomerView on(CustomerDetailsChanged changed) {
                return new CustomerView(changed.customerId().toString(), changed.name(), changed.email(),
                        changed.sequence(), revision, millis(changed.occurredAt()));
            }
        });
    }

    @Override
    public long revision(CustomerView document) {
        return document.revision();
    }

    @Override
    public CustomerView withRevision(CustomerView document, long revision) {
        return new CustomerView(document.id(), document.name(), document.email(), document.version(), revision,
                document.updatedAt());
    }

    /** Views keep milliseconds, what MongoDB dates hold, so a view reads back exactly as it was written. */
    private static Instant millis(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
