/** The command service as the query side's admin features call it: retained history, failed outbox rows, state. */
@NullMarked
package io.ordercqrs.query.commandside;

import org.jspecify.annotations.NullMarked;
