package io.ordercqrs.query.orderview;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordercqrs.events.Topics;
import io.ordercqrs.query.generation.ActiveViews;
import io.ordercqrs.query.projection.DeadLetterGate;
import io.ordercqrs.query.projection.ViewSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Queries that wait for an order view to reach a version, without a thread each. A batch this
 * instance writes into the active views answers the waits for its orders from the documents it
 * wrote, without reading them back; every {@code poll-every} one poller reads the views of the
 * waits still open in one go (for views another instance projects). A wait ends with the view,
 * with "not caught up" at its deadline (with the version last seen, also while the store cannot be
 * read), or at once with "held behind a dead letter" when the order's next event is parked and
 * only ops can free it.
 */
@Component
class ViewWaits implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ViewWaits.class);
    private static final int HELD_CHECK_EVERY_POLLS = 5;

    private final OrderViews orderViews;
    private final ActiveViews active;
    private final DeadLetterGate deadLetters;
    private final QuerySettings settings;
    private final ScheduledExecutorService poller;
    private final List<Wait> waiting = new ArrayList<>();
    private int polls;

    ViewWaits(OrderViews orderViews, ActiveViews active, DeadLetterGate deadLetters, QuerySettings settings,
            MeterRegistry meters) {
        this.orderViews = orderViews;
        this.active = active;
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "view-waits");
            thread.setDaemon(true);
            return thread;
        });
        Gauge.builder("ordercqrs.query.waiting", waiting, List::size)
                .description("Queries waiting for an order view to reach a version").register(meters);
        long every = settings.pollEvery().toMillis();
        poller.scheduleWithFixedDelay(this::pollSafely, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Order views were just written into {@code views} on this instance: the waits they satisfy end
     * now, with those documents, not at the next poll.
     */
    void written(ViewSet views, Map<String, OrderView> written) {
        if (written.isEmpty() || !views.equals(active.current())) {
            return;
        }
        List<Wait> ended = new ArrayList<>();
        synchronized (waiting) {
            for (Wait wait : waiting) {
                OrderView view = written.get(wait.orderId());
                if (view != null && view.version() >= wait.minVersion() && wait.visible().test(view)) {
                    ended.add(wait);
                }
            }
        }
        // Outside the lock: completing a wait dispatches its answer.
        ended.forEach(wait -> wait.result().complete(written.get(wait.orderId())));
    }

    /**
     * The view of {@code orderId} once it reaches {@code minVersion}.
     *
     * @param currentVersion the version the caller saw, 0 if it saw none: the answer if the wait
     *                    ends before the view can be read again
     * @param visible     which views the caller may see; others count as absent
     * @param maySeeHeld  whether the caller may learn that an order it cannot see is held (ops)
     * @throws TooManyWaiting when this instance has as many waits as it allows
     */
    CompletableFuture<OrderView> await(String orderId, long minVersion, long currentVersion,
            Predicate<OrderView> visible, boolean maySeeHeld) {
        Wait wait = new Wait(orderId, minVersion, System.nanoTime() + settings.maxWait().toNanos(), visible,
                maySeeHeld, new AtomicLong(currentVersion), new CompletableFuture<>());
        synchronized (waiting) {
            if (waiting.size() >= settings.maxWaiting()) {
                throw new TooManyWaiting(settings.maxWaiting());
            }
            waiting.add(wait);
        }
        return wait.result();
    }

    private void pollSafely() {
        try {
            poll();
        }
        catch (RuntimeException e) {
            log.warn("Could not read the views for waiting queries; trying again: {}", e.toString());
        }
    }

    private void poll() {
        List<Wait> pending;
        synchronized (waiting) {
            waiting.removeIf(wait -> wait.result().isDone());
            pending = List.copyOf(waiting);
        }
        if (pending.isEmpty()) {
            return;
        }
        ViewSet views = active.current();
        Map<String, OrderView> found;
        Map<DeadLetterGate.AggregateKey, DeadLetterGate.Blocker> held;
        try {
            found = orderViews.in(views).findAll(pending.stream().map(Wait::orderId).distinct().toList());
            held = polls++ % HELD_CHECK_EVERY_POLLS == 0
                    ? deadLetters.blockers(views, pending.stream()
                            .map(wait -> new DeadLetterGate.AggregateKey(Topics.ORDER_EVENTS, wait.orderId())).toList())
                    : Map.of();
        }
        catch (RuntimeException unreadable) {
            // The store may stay away for long: the waits end at their deadline all the same.
            endOverdue(pending, System.nanoTime());
            throw unreadable;
        }
        long now = System.nanoTime();
        for (Wait wait : pending) {
            OrderView view = found.get(wait.orderId());
            OrderView seen = view != null && wait.visible().test(view) ? view : null;
            long version = seen == null ? 0 : seen.version();
            wait.lastSeenVersion().set(version);
            DeadLetterGate.Blocker blocker = held.get(new DeadLetterGate.AggregateKey(Topics.ORDER_EVENTS,
                    wait.orderId()));
            if (seen != null && version >= wait.minVersion()) {
                wait.result().complete(seen);
            }
            else if (blocker != null && (seen != null || wait.maySeeHeld())) {
                wait.result().completeExceptionally(new ViewHeldBehindDeadLetter("Order " + wait.orderId(),
                        wait.minVersion(), version, blocker.letterId()));
            }
            else if (now - wait.deadline() >= 0) {
                wait.result().completeExceptionally(new ViewNotCaughtUp("Order " + wait.orderId(), wait.minVersion(),
                        version));
            }
        }
    }

    /** Ends the waits past their deadline with the version each saw last. */
    private static void endOverdue(List<Wait> pending, long now) {
        for (Wait wait : pending) {
            if (now - wait.deadline() >= 0) {
                wait.result().completeExceptionally(new ViewNotCaughtUp("Order " + wait.orderId(), wait.minVersion(),
                        wait.lastSeenVersion().get()));
            }
        }
    }

    @Override
    public void destroy() {
        poller.shutdownNow();
    }

    /** One waiting query; {@code lastSeenVersion} is the version it saw of the view when last read. */
    private record Wait(String orderId, long minVersion, long deadline, Predicate<OrderView> visible,
            boolean maySeeHeld, AtomicLong lastSeenVersion, CompletableFuture<OrderView> result) {
    }

    /** For a view that is there already: the answer without waiting. */
    static @Nullable OrderView reached(@Nullable OrderView view, long minVersion) {
        return view != null && view.version() >= minVersion ? view : null;
    }
}
