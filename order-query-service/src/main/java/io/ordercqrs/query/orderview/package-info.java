/** The order view: one denormalized document per order, and the queries over it. */
package io.ordercqrs.query.orderview;
