package io.ordercqrs.query.generation;

import io.ordercqrs.query.projection.ViewSet;
import org.springframework.stereotype.Component;

/**
 * The set of views queries read: the active generation's, as this instance last read it from
 * MongoDB. It follows a switch within one supervisor tick (see {@code ordercqrs.generations.follow-every}).
 */
@Component
public class ActiveViews {

    private volatile ViewSet current = ViewSet.generation(1);

    public ViewSet current() {
        return current;
    }

    void follow(long generation) {
        if (current.generation() != generation) {
            current = ViewSet.generation(generation);
        }
    }
}
