/**
 * Customer order summaries: counts per status, lifetime spend and recent orders per customer.
 * The totals are counted from the order views' changes, each change exactly once however often a
 * batch runs; the rest is read when asked for.
 */
@NullMarked
package io.ordercqrs.query.customersummary;

import org.jspecify.annotations.NullMarked;
