package io.ordercqrs.query.admin;

/** Only one rebuild runs at a time. */
public class RebuildAlreadyRunning extends RuntimeException {

    public RebuildAlreadyRunning(String id) {
        super("Rebuild " + id + " is still running; wait for it or cancel it first");
    }
}
