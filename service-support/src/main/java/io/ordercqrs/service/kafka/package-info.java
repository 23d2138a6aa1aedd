/** The event topics both services set up, and Kafka's health as both services report it. */
package io.ordercqrs.service.kafka;
