/** The command side's current state in pages, for ops to verify the read side against. */
package io.ordercqrs.command.snapshot;
