package io.ordercqrs.query.orderview;

/**
 * A query asked for a version the view cannot reach by itself: the order's next event is parked as
 * a dead letter, and the view waits until ops retry or discard it. Asking again will not help.
 */
public class ViewHeldBehindDeadLetter extends RuntimeException {

    private final long requestedVersion;
    private final long currentVersion;
    private final String deadLetter;

    ViewHeldBehindDeadLetter(String what, long requestedVersion, long currentVersion, String deadLetter) {
        super(what + " is at version " + currentVersion + " and cannot reach version " + requestedVersion
                + " until ops deal with dead letter " + deadLetter + ", which holds its next event");
        this.requestedVersion = requestedVersion;
        this.currentVersion = currentVersion;
        this.deadLetter = deadLetter;
    }

    public long requestedVersion() {
        return requestedVersion;
    }

    public long currentVersion() {
        return currentVersion;
    }

    public String deadLetter() {
        return deadLetter;
    }
}
