/** The audit trail of admin actions: who asked for what, and what came of it. */
@NullMarked
package io.ordercqrs.query.audit;

import org.jspecify.annotations.NullMarked;
