/** Customers: registering and changing details, the Customer aggregate and its REST API. */
package io.ordercqrs.command.customer;
