/** The order view: one denormalized document per order, its projector and the queries over it. */
@NullMarked
package io.ordercqrs.query.orderview;

import org.jspecify.annotations.NullMarked;
