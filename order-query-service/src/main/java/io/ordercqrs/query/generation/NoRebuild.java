package io.ordercqrs.query.generation;

/** There is no rebuild to show, cancel or switch. */
public class NoRebuild extends RuntimeException {

    NoRebuild() {
        super("No rebuild is under way");
    }
}
