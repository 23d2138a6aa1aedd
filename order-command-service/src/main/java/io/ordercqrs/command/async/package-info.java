/**
 * Asynchronous commands: a command sent with {@code Prefer: respond-async} is stored and answered
 * {@code 202 Accepted} with its status resource, then run by any instance. Knows no feature: the
 * features register the kinds of command they offer.
 */
package io.ordercqrs.command.async;
