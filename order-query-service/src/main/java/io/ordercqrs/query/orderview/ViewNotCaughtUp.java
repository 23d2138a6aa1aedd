package io.ordercqrs.query.orderview;

/** A query asked for a version the view has not reached within the wait it is allowed. */
public class ViewNotCaughtUp extends RuntimeException {

    private final long requestedVersion;
    private final long currentVersion;

    ViewNotCaughtUp(String what, long requestedVersion, long currentVersion) {
        super(what + " is at version " + currentVersion + " and has not reached version " + requestedVersion
                + " yet; try again shortly");
        this.requestedVersion = requestedVersion;
        this.currentVersion = currentVersion;
    }

    public long requestedVersion() {
        return requestedVersion;
    }

    public long currentVersion() {
        return currentVersion;
    }
}
