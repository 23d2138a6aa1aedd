/** Customer order summaries: counts, spend and recent orders per customer, computed from the order views. */
package io.ordercqrs.query.customersummary;
