/**
 * The HTTP contract shared by all endpoints: problem details, entity tags and {@code If-Match},
 * {@code Idempotency-Key}, correlation ids and the API documentation.
 */
package io.ordercqrs.command.web;
