package io.ordercqrs.query.projection;

/** An event arrived while earlier events of its aggregate are missing from the view. */
public class VersionGap extends RuntimeException {

    VersionGap(String aggregate, String id, long version, long sequence) {
        super("Event " + sequence + " of " + aggregate + " " + id + " cannot apply: the view is at version "
                + version + ", so events " + (version + 1) + ".." + (sequence - 1) + " are missing");
    }
}
