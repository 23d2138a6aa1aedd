/**
 * The one projection path: decode, sequence check, per-view {@link io.ordercqrs.query.projection.Projector}s,
 * one guarded bulk write per view per batch, then the derived data; and its Kafka edge (listener and
 * error path). Features plug their views in through the contracts here; this package knows none of them.
 */
@NullMarked
package io.ordercqrs.query.projection;

import org.jspecify.annotations.NullMarked;
