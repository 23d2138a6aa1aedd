package io.ordercqrs.query.orderstream;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.orderview.OrderViewProjector;
import io.ordercqrs.query.projection.Origin;
import io.ordercqrs.service.security.Caller;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A client that stops reading holds up nobody: changes are only queued for it, and once it is
 * {@code queueLimit} events behind it is dropped, while the changes keep being handed out.
 */
class SlowClientTests {

    @Test
    void dropsAClientThatFallsTooFarBehindWithoutHoldingUpWhoeverHandsOutChanges() throws Exception {
        CountDownLatch clientReads = new CountDownLatch(1);
        AtomicInteger sent = new AtomicInteger();
        SseEmitter stuck = new SseEmitter() {
            @Override
            public void send(SseEventBuilder event) throws IOException {
                try {
                    clientReads.await();
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sent.incrementAndGet();
            }
        };
        ExecutorService sender = Executors.newSingleThreadExecutor();
        AtomicBoolean dropped = new AtomicBoolean();
        CustomerId customer = TestEvents.newCustomer();
        OrderStream stream = new OrderStream(Caller.customer(customer), null, stuck, sender, 10,
                () -> dropped.set(true));
        stream.start(List.of());
        OrderView view = OrderViewProjector.fold(null, TestEvents.placed(TestEvents.newOrder(), customer, T0),
                new Origin(0, 0), null);
        try {
            // Were handing out to wait for the client, this would never finish: the client reads nothing.
            CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 50; i++) {
                    stream.send(view);
                }
            }).get(10, TimeUnit.SECONDS);

            assertThat(dropped).as("dropped once 10 events behind").isTrue();
            assertThat(sent.get()).as("the client read nothing meanwhile").isZero();
        }
        finally {
            clientReads.countDown();
            sender.shutdown();
            sender.awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(sent.get()).as("after the drop nothing more was sent than the event under way")
                .isLessThanOrEqualTo(1);
    }
}
