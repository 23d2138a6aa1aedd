/** The query side: projections of the event topics into denormalized MongoDB views, and the APIs over them. */
package io.ordercqrs.query;
