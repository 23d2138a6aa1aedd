/**
 * The transactional outbox: events written in the aggregate's transaction, and the relay that
 * publishes them to Kafka in order.
 */
package io.ordercqrs.command.outbox;
