/** Replays for ops: one order re-derived from its events, or a topic applied again from a time or offset. */
@NullMarked
package io.ordercqrs.query.replay;

import org.jspecify.annotations.NullMarked;
