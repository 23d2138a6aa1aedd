package io.ordercqrs.command.async;

import java.util.UUID;

/** No accepted command has this id, or not one the caller sent. */
class CommandNotFound extends RuntimeException {

    CommandNotFound(UUID id) {
        super("No command " + id + " was accepted for you (or it ran longer ago than the retention)");
    }
}
