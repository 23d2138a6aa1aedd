package io.ordercqrs.query.orderstream;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.query.orderview.OrderStatus;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.service.security.Caller;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open stream: whose it is, what it wants, and the events waiting to be sent to it. Events are
 * queued by whoever learns of a change and sent, in order, by a sender thread, so a slow client
 * never holds up the others; one that falls {@code queueLimit} events behind is dropped.
 */
final class OrderStream {

    private final Caller caller;
    private final @Nullable OrderStatus status;
    private final SseEmitter emitter;
    private final Executor sender;
    private final int queueLimit;
    private final Runnable whenDropped;
    private final Queue<SseEmitter.SseEventBuilder> queue = new ArrayDeque<>();
    private final List<SseEmitter.SseEventBuilder> early = new ArrayList<>();
    private boolean started;
    private boolean sending;
    private boolean closed;
    private @Nullable Runnable onClose;

    OrderStream(Caller caller, @Nullable OrderStatus status, SseEmitter emitter, Executor sender, int queueLimit,
            Runnable whenDropped) {
        this.caller = caller;
        this.status = status;
        this.emitter = emitter;
        this.sender = sender;
        this.queueLimit = queueLimit;
        this.whenDropped = whenDropped;
    }

    Caller caller() {
        return caller;
    }

    SseEmitter emitter() {
        return emitter;
    }

    synchronized void onClose(Runnable action) {
        this.onClose = action;
    }

    /** Whether the caller may see {@code view} and asked for views like it. */
    boolean wants(OrderView view) {
        return (status == null || status == view.status())
                && caller.mayActFor(CustomerId.of(UUID.fromString(view.customerId())));
    }

    /** Queues {@code view} as an event; a client this far behind is dropped. */
    void send(OrderView view) {
        offer(event(view));
    }

    /** Queues a comment line that keeps an idle connection open. */
    void heartbeat() {
        offer(SseEmitter.event().comment("heartbeat"));
    }

    /**
     * Sends {@code missed} (what the client missed before it reconnected), then whatever changed
     * since this stream was opened.
     */
    synchronized void start(List<OrderView> missed) {
        missed.forEach(view -> queue.add(event(view)));
        queue.addAll(early);
        early.clear();
        started = true;
        drainLater();
    }

    /** Ends the stream: the client went away, was dropped, or the server is stopping. */
    void close() {
        Runnable action;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            action = onClose;
        }
        if (action != null) {
            action.run();
        }
    }

    static SseEmitter.SseEventBuilder event(OrderView view) {
        return SseEmitter.event().id(view.id() + ":" + view.version()).name(EventNames.of(view))
                .data(view, MediaType.APPLICATION_JSON);
    }

    private void offer(SseEmitter.SseEventBuilder event) {
        boolean drop;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (!started) {
                early.add(event);
                drop = early.size() > queueLimit;
            }
            else {
                queue.add(event);
                drop = queue.size() > queueLimit;
                if (!drop) {
                    drainLater();
                }
            }
        }
        if (drop) {
            close();
            whenDropped.run();
            // Completing waits for a send in progress: leave that to a sender thread.
            sender.execute(emitter::complete);
        }
    }

    /** Under the lock: makes sure a sender thread works through the queue. */
    private void drainLater() {
        if (!sending && !queue.isEmpty()) {
            sending = true;
            sender.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            SseEmitter.SseEventBuilder next;
            synchronized (this) {
                next = closed ? null : queue.poll();
                if (next == null) {
                    sending = false;
                    return;
                }
            }
            try {
                emitter.send(next);
            }
            catch (IOException | IllegalStateException gone) {
                close();
                return;
            }
        }
    }
}
