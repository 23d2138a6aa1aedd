/**
 * The event contract shared by the command and the query side: the facts that happen to
 * customers and orders, as immutable records with stable wire names.
 */
package io.ordercqrs.events;
