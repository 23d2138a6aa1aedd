/** Reconciliation for ops: every view of the active generation against the command side's state. */
@NullMarked
package io.ordercqrs.query.verification;

import org.jspecify.annotations.NullMarked;
