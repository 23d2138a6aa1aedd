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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Queries that wait for an order view to reach a version, without a thread each. A batch this
 * instance writes into the active views answers the waits for its orders from the documents it
 * wrote, without reading them back; for views another instance projects, one poller reads the
 * views of the waits that are due in one go, each wait's first {@code poll-every} after it began,
 * the later ones at growing intervals and the last just before its deadline (see
 * {@link WaitReads}). A wait ends with the view, with "not caught up" at its deadline (with the
 * version last seen, also while the store cannot be read), or at once with "held behind a dead
 * letter" when the order's next event is parked and only ops can free it.
 */
@Component
class ViewWaits implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ViewWaits.class);

    private final OrderViews orderViews;
    private final ActiveViews active;
    private final DeadLetterGate deadLetters;
    private final QuerySettings settings;
    private final ScheduledExecutorService poller;
    private final ScheduledThreadPoolExecutor deadlines;
    private final List<Wait> waiting = new ArrayList<>();

    ViewWaits(OrderViews orderViews, ActiveViews active, DeadLetterGate deadLetters, QuerySettings settings,
            MeterRegistry meters) {
        this.orderViews = orderViews;
        this.active = active;
        this.deadLetters = deadLetters;
        this.settings = settings;
        CustomizableThreadFactory threads = new CustomizableThreadFactory("view-waits-");
        threads.setDaemon(true);
        this.poller = Executors.newSingleThreadScheduledExecutor(threads);
        // Deadlines keep a thread of their own: a read of the store that hangs must not hold them up.
        this.deadlines = new ScheduledThreadPoolExecutor(1, threads);
        this.deadlines.setRemoveOnCancelPolicy(true);
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
                OrderView view = written.get(wait.orderId);
                if (view != null && view.version() >= wait.minVersion && wait.visible.test(view)) {
                    ended.add(wait);
                }
            }
        }
        // Outside the lock: completing a wait dispatches its answer.
        ended.forEach(wait -> wait.result.complete(written.get(wait.orderId)));
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
        Wait wait = new Wait(orderId, minVersion, currentVersion, visible, maySeeHeld, settings);
        synchronized (waiting) {
            if (waiting.size() >= settings.maxWaiting()) {
                throw new TooManyWaiting(settings.maxWaiting());
            }
            waiting.add(wait);
        }
        ScheduledFuture<?> deadline = deadlines.schedule(wait::endNotCaughtUp, wait.deadline - System.nanoTime(),
                TimeUnit.NANOSECONDS);
        wait.result.whenComplete((view, failure) -> deadline.cancel(false));
        return wait.result;
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
        List<Wait> due = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (waiting) {
            waiting.removeIf(wait -> wait.result.isDone());
            for (Wait wait : waiting) {
                if (wait.reads.due(now)) {
                    due.add(wait);
                }
            }
        }
        if (due.isEmpty()) {
            return;
        }
        ViewSet views = active.current();
        Map<String, OrderView> found = orderViews.in(views).findAll(due.stream().map(wait -> wait.orderId)
                .distinct().toList());
        List<DeadLetterGate.AggregateKey> heldChecks = due.stream().filter(wait -> wait.reads.checksHeld())
                .map(wait -> new DeadLetterGate.AggregateKey(Topics.ORDER_EVENTS, wait.orderId)).toList();
        Map<DeadLetterGate.AggregateKey, DeadLetterGate.Blocker> held = heldChecks.isEmpty() ? Map.of()
                : deadLetters.blockers(views, heldChecks);
        now = System.nanoTime();
        for (Wait wait : due) {
            OrderView view = found.get(wait.orderId);
            OrderView seen = view != null && wait.visible.test(view) ? view : null;
            long version = seen == null ? 0 : seen.version();
            wait.lastSeenVersion = version;
            DeadLetterGate.Blocker blocker = held.get(new DeadLetterGate.AggregateKey(Topics.ORDER_EVENTS,
                    wait.orderId));
            if (seen != null && version >= wait.minVersion) {
                wait.result.complete(seen);
            }
            else if (blocker != null && (seen != null || wait.maySeeHeld)) {
                wait.result.completeExceptionally(new ViewHeldBehindDeadLetter("Order " + wait.orderId,
                        wait.minVersion, version, blocker.letterId()));
            }
            else {
                wait.reads.readAgainAfter(now);
            }
        }
    }

    @Override
    public void destroy() {
        poller.shutdownNow();
        deadlines.shutdownNow();
    }

    /**
     * One waiting query. Its reads ({@link WaitReads}) are the poller's alone; it ends "not caught
     * up" at its deadline with the version read last, whether or not the store answers meanwhile.
     */
    private static final class Wait {

        final String orderId;
        final long minVersion;
        final Predicate<OrderView> visible;
        final boolean maySeeHeld;
        final CompletableFuture<OrderView> result = new CompletableFuture<>();
        final long deadline;
        final WaitReads reads;
        volatile long lastSeenVersion;

        Wait(String orderId, long minVersion, long currentVersion, Predicate<OrderView> visible, boolean maySeeHeld,
                QuerySettings settings) {
            this.orderId = orderId;
            this.minVersion = minVersion;
            this.visible = visible;
            this.maySeeHeld = maySeeHeld;
            this.lastSeenVersion = currentVersion;
            long began = System.nanoTime();
            this.deadline = began + settings.maxWait().toNanos();
            this.reads = new WaitReads(began, settings.pollEvery().toNanos(), deadline);
        }

        void endNotCaughtUp() {
            result.completeExceptionally(new ViewNotCaughtUp("Order " + orderId, minVersion, lastSeenVersion));
        }
    }

    /** For a view that is there already: the answer without waiting. */
    static @Nullable OrderView reached(@Nullable OrderView view, long minVersion) {
        return view != null && view.version() >= minVersion ? view : null;
    }
}
