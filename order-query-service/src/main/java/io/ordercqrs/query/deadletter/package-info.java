/** The dead-letter store: records that could not be applied, kept whole for ops to retry or discard. */
package io.ordercqrs.query.deadletter;
