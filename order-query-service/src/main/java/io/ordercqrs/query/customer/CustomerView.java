package io.ordercqrs.query.customer;

import java.time.Instant;
import org.springframework.data.annotation.Id;

/**
 * What the read side knows of a customer: the details other views join in.
 *
 * @param id        the customer id
 * @param name      the customer's current name
 * @param email     the customer's current email
 * @param version   the sequence of the last customer event applied
 * @param revision  bumped by every write to this document, the guard of conditional writes
 * @param updatedAt when that event occurred
 */
public record CustomerView(@Id String id, String name, String email, long version, long revision,
        Instant updatedAt) {

    /** The view's name; each generation's collection adds its suffix (see {@code ViewSet}). */
    public static final String VIEW = "customers";
}
