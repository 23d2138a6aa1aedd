/**
 * The dead-letter store: records a generation's projection could not apply, kept whole, and those
 * held behind them; ops list, show, retry and discard them (with the command side's failed outbox
 * rows in the same list).
 */
@NullMarked
package io.ordercqrs.query.deadletter;

import org.jspecify.annotations.NullMarked;
