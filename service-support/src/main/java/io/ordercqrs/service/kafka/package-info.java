/** The event topics both services declare, with their partitions and retention. */
package io.ordercqrs.service.kafka;
