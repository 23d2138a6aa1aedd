package io.ordercqrs.query.orderview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.generation.ActiveViews;
import io.ordercqrs.query.projection.DeadLetterGate;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Queries waiting for a version while the view store cannot be reached: the driver meets a port
 * nothing listens on, as it does when MongoDB is down.
 */
@QueryServiceTest
class ViewWaitsStoreDownTests {

    @Autowired
    ActiveViews active;

    @Autowired
    DeadLetterGate deadLetters;

    @Test
    void aWaitEndsAtItsDeadlineWithTheVersionLastSeenThoughTheStoreCannotBeRead() throws Exception {
        try (MongoClient unreachable = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + closedPort() + "/ordercqrs"))
                // As long as the driver's default: the poller's read hangs far past the wait's deadline.
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(30, TimeUnit.SECONDS))
                .build())) {
            ViewWaits waits = new ViewWaits(new OrderViews(new MongoTemplate(unreachable, "ordercqrs")), active,
                    deadLetters, new QuerySettings(Duration.ofMillis(400), Duration.ofMillis(20), 10, 100),
                    new SimpleMeterRegistry());
            try {
                CompletableFuture<OrderView> wait = waits.await(UUID.randomUUID().toString(), 3, 1, view -> true,
                        false);

                assertThatThrownBy(() -> wait.get(5, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOfSatisfying(ViewNotCaughtUp.class, notCaughtUp -> {
                            assertThat(notCaughtUp.requestedVersion()).isEqualTo(3);
                            assertThat(notCaughtUp.currentVersion()).isEqualTo(1);
                        });
            }
            finally {
                waits.destroy();
            }
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
