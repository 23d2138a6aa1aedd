package io.ordercqrs.query.customer;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;

/**
 * What the read side knows of a customer: the details other views join in. Before the customer's
 * first event it may be a placeholder (version 0, no details), left by an order view written first.
 *
 * @param id        the customer id
 * @param name      the customer's current name, {@code null} before their first event
 * @param email     the customer's current email, {@code null} before their first event
 * @param version   the sequence of the last customer event applied, 0 for a placeholder
 * @param revision  bumped by every write to this document, the guard of conditional writes
 * @param updatedAt when that event occurred
 */
public record CustomerView(@Id String id, @Nullable String name, @Nullable String email, long version, long revision,
        @Nullable Instant updatedAt) {

    /** The view's name; each generation's collection adds its suffix (see {@code ViewSet}). */
    public static final String VIEW = "customers";
}
