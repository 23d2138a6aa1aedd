package io.ordercqrs.query.orderstream;

import io.ordercqrs.events.Topics;
import io.ordercqrs.events.wire.CloudEventHeaders;
import io.ordercqrs.query.generation.ActiveViews;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.orderview.OrderViews;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * How this instance learns of every order view change, whichever instance projected it: a consumer
 * of its own reads every partition of the order topic from the end (no consumer group, nothing
 * committed), and, while streams are open, for each order event waits until the active views hold
 * the order at that version, then hands the view to the streams. While no stream is open it fetches
 * nothing and only looks where the topic ends, twice a second, to read on from there once one
 * opens. Views this instance writes itself reach the streams sooner, straight from the projection
 * ({@link LocalChanges}).
 */
@Component
class OrderChangeFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OrderChangeFeed.class);
    /** An order whose view does not reach the version for this long (held behind a dead letter) is let go. */
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);
    /** Orders waited for at most; beyond, the oldest are let go. */
    private static final int MAX_WAITING = 10_000;
    /** Views read per round. */
    private static final int READ_AT_ONCE = 1_000;

    private final ConsumerFactory<?, ?> consumers;
    private final OrderViews orderViews;
    private final ActiveViews active;
    private final OrderStreams streams;
    private volatile boolean running;
    private volatile Consumer<String, byte[]> consumer;
    private Thread thread;

    OrderChangeFeed(ConsumerFactory<?, ?> consumers, OrderViews orderViews, ActiveViews active,
            OrderStreams streams) {
        this.consumers = consumers;
        this.orderViews = orderViews;
        this.active = active;
        this.streams = streams;
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "order-change-feed");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        Consumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(5).toMillis());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            Properties overrides = new Properties();
            overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
            try (Consumer<String, byte[]> feed = create(overrides)) {
                consumer = feed;
                follow(feed);
            }
            catch (WakeupException stopping) {
                return;
            }
            catch (RuntimeException e) {
                log.warn("The order change feed failed; starting over: {}", e.toString());
                pause();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Consumer<String, byte[]> create(Properties overrides) {
        return (Consumer<String, byte[]>) consumers.createConsumer(null, "order-change-feed-",
                UUID.randomUUID().toString().substring(0, 8), overrides);
    }

    private void follow(Consumer<String, byte[]> feed) {
        List<PartitionInfo> partitions = feed.partitionsFor(Topics.ORDER_EVENTS, Duration.ofSeconds(10));
        if (partitions == null || partitions.isEmpty()) {
            pause();
            return;
        }
        List<TopicPartition> assigned = partitions.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        feed.assign(assigned);
        feed.seekToEnd(assigned);
        Map<String, Waiting> waiting = new LinkedHashMap<>();
        // While paused: where the topic ended before the last look that found no stream open.
        Map<TopicPartition, Long> quietUntil = null;
        while (running) {
            if (quietUntil == null && streams.openCount() == 0) {
                // Nobody to tell: fetch nothing, and leave the views alone.
                quietUntil = positions(feed, assigned);
                feed.pause(assigned);
                waiting.clear();
            }
            if (quietUntil != null) {
                Map<TopicPartition, Long> end = feed.endOffsets(assigned, Duration.ofSeconds(10));
                if (streams.openCount() == 0) {
                    quietUntil = end;
                    feed.poll(Duration.ofMillis(500));
                    continue;
                }
                // A stream opened since the last look: read on from before it, so none of its changes is missed.
                quietUntil.forEach(feed::seek);
                feed.resume(assigned);
                quietUntil = null;
            }
            ConsumerRecords<String, byte[]> records = feed.poll(Duration.ofMillis(waiting.isEmpty() ? 500 : 20));
            for (ConsumerRecord<String, byte[]> record : records) {
                Long sequence = sequence(record);
                if (record.key() != null && sequence != null) {
                    waiting.merge(record.key(), new Waiting(sequence, System.nanoTime()),
                            (before, now) -> new Waiting(Math.max(before.sequence(), now.sequence()), before.since()));
                }
            }
            while (waiting.size() > MAX_WAITING) {
                // The views are far behind the topic: streams hear of the oldest of these changes no more.
                waiting.remove(waiting.keySet().iterator().next());
            }
            if (!waiting.isEmpty()) {
                deliver(waiting);
            }
        }
    }

    private static Map<TopicPartition, Long> positions(Consumer<String, byte[]> feed, List<TopicPartition> assigned) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        assigned.forEach(partition -> positions.put(partition, feed.position(partition)));
        return positions;
    }

    /**
     * Hands over the views that reached the versions waited for (reading the oldest
     * {@value #READ_AT_ONCE} at a time); forgets the ones waited for too long.
     */
    private void deliver(Map<String, Waiting> waiting) {
        List<String> oldest = waiting.keySet().stream().limit(READ_AT_ONCE).toList();
        Map<String, OrderView> found = orderViews.in(active.current()).findAll(oldest);
        long now = System.nanoTime();
        for (String orderId : oldest) {
            Waiting wanted = waiting.get(orderId);
            OrderView view = found.get(orderId);
            if (view != null && view.version() >= wanted.sequence()) {
                streams.changed(view);
                waiting.remove(orderId);
            }
            else if (now - wanted.since() > GIVE_UP_AFTER.toNanos()) {
                waiting.remove(orderId);
            }
        }
    }

    private static Long sequence(ConsumerRecord<String, byte[]> record) {
        String header = CloudEventHeaders.get(record.headers(), CloudEventHeaders.SEQUENCE);
        try {
            return header == null ? null : Long.valueOf(header);
        }
        catch (NumberFormatException unreadable) {
            return null;
        }
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private record Waiting(long sequence, long since) {
    }
}
