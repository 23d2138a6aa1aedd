package io.ordercqrs.query.orderstream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordercqrs.query.orderview.OrderStatus;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.service.security.Caller;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The streams open on this instance, and the view changes they are sent. Each version of an order
 * view is sent once, however many ways this instance learns of it. A caller holds at most
 * {@code max-per-caller} streams and the instance {@code max-open}; idle streams get a heartbeat.
 */
@Component
class OrderStreams implements DisposableBean {

    /** Order versions already sent, remembered for this many orders. */
    private static final int REMEMBERED_ORDERS = 100_000;

    private final StreamSettings settings;
    private final Set<OrderStream> open = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> sentVersions = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REMEMBERED_ORDERS;
        }
    };
    private final ExecutorService sender;
    private final ScheduledExecutorService heartbeat;
    private final Counter dropped;

    OrderStreams(StreamSettings settings, MeterRegistry meters) {
        this.settings = settings;
        this.sender = Executors.newFixedThreadPool(2, daemon("order-stream-sender-"));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(daemon("order-stream-heartbeat-"));
        long every = settings.heartbeatEvery().toMillis();
        heartbeat.scheduleWithFixedDelay(() -> open.forEach(OrderStream::heartbeat), every, every,
                TimeUnit.MILLISECONDS);
        Gauge.builder("ordercqrs.query.streams.open", open, Set::size)
                .description("Order view streams open on this instance").register(meters);
        this.dropped = Counter.builder("ordercqrs.query.streams.dropped")
                .description("Streams ended because their client fell too far behind").register(meters);
    }

    /**
     * Opens a stream for {@code caller}, first sending what {@code missed} finds (views changed
     * since the event the client saw last), then every change.
     *
     * @throws TooManyStreams when the caller or the instance holds as many streams as allowed
     */
    SseEmitter open(Caller caller, @Nullable OrderStatus status, Missed missed) {
        SseEmitter emitter = new SseEmitter(settings.maxDuration().toMillis());
        OrderStream stream = new OrderStream(caller, status, emitter, sender, settings.queueLimit(),
                dropped::increment);
        synchronized (open) {
            long mine = open.stream().filter(other -> other.caller().subject().equals(caller.subject())).count();
            if (mine >= settings.maxPerCaller()) {
                throw new TooManyStreams("You have " + mine + " order streams open; close one first",
                        settings.maxPerCaller());
            }
            if (open.size() >= settings.maxOpen()) {
                throw new TooManyStreams("This instance serves as many order streams as it can; try another "
                        + "or later", settings.maxOpen());
            }
            open.add(stream);
        }
        stream.onClose(() -> open.remove(stream));
        emitter.onCompletion(stream::close);
        emitter.onTimeout(stream::close);
        emitter.onError(failure -> stream.close());
        try {
            stream.start(missed.find());
        }
        catch (RuntimeException failed) {
            stream.close();
            throw failed;
        }
        return emitter;
    }

    /** An order view changed: every stream that wants it gets it, unless this version went out already. */
    void changed(OrderView view) {
        synchronized (sentVersions) {
            Long sent = sentVersions.get(view.id());
            if (sent != null && sent >= view.version()) {
                return;
            }
            sentVersions.put(view.id(), view.version());
        }
        for (OrderStream stream : open) {
            if (stream.wants(view)) {
                stream.send(view);
            }
        }
    }

    int openCount() {
        return open.size();
    }

    @Override
    public void destroy() {
        heartbeat.shutdownNow();
        open.forEach(stream -> {
            stream.close();
            stream.emitter().complete();
        });
        sender.shutdown();
    }

    /** What a reconnecting client missed, found once its stream is registered (so nothing falls in between). */
    @FunctionalInterface
    interface Missed {
        List<OrderView> find();
    }

    private static ThreadFactory daemon(String prefix) {
        CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
        threads.setDaemon(true);
        return threads;
    }
}
