/** The command side: customers and orders as aggregates in PostgreSQL, their events in a transactional outbox. */
package io.ordercqrs.command;
