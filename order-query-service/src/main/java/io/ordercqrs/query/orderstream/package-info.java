/**
 * Live order views for frontends: {@code GET /orders/stream} sends a server-sent event each time an
 * order view the caller may see changes, whichever instance projected it.
 */
@NullMarked
package io.ordercqrs.query.orderstream;

import org.jspecify.annotations.NullMarked;
