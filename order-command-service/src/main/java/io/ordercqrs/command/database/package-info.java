/** PostgreSQL as the command side depends on it: when it counts as unavailable, and its bounded health. */
package io.ordercqrs.command.database;
