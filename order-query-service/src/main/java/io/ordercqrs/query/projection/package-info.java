/** The projections: Kafka consumers that fold the event topics into the views, and their error path. */
package io.ordercqrs.query.projection;
