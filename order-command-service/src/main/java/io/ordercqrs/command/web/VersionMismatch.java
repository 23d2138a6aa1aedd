package io.ordercqrs.command.web;

/** The caller's {@code If-Match} names a version the aggregate has moved past. */
public class VersionMismatch extends RuntimeException {

    private final long currentVersion;

    public VersionMismatch(long expectedVersion, long currentVersion) {
        super("You expected version " + expectedVersion + " but the current version is " + currentVersion
                + "; reload and decide again");
        this.currentVersion = currentVersion;
    }

    /** Refuses the change when the caller expected another version than the current one. */
    public static void check(Long expectedVersion, long currentVersion) {
        if (expectedVersion != null && expectedVersion != currentVersion) {
            throw new VersionMismatch(expectedVersion, currentVersion);
        }
    }

    public long currentVersion() {
        return currentVersion;
    }
}
