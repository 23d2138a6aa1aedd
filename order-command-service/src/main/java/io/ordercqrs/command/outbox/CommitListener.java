package io.ordercqrs.command.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens, on a connection of its own, for PostgreSQL's notifications that a transaction with
 * outbox rows committed ({@code outbox}) or that ops changed the held rows ({@code outbox_held}),
 * and passes each on at once, so the relay need not poll to learn of new rows.
 */
final class CommitListener implements AutoCloseable {

    /** What a notification said. */
    enum Change {
        COMMITTED, HELD_ROWS
    }

    private static final Logger log = LoggerFactory.getLogger(CommitListener.class);

    private final SlotOwnership.ConnectionFactory connections;
    private final Consumer<Change> listener;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    CommitListener(SlotOwnership.ConnectionFactory connections, Consumer<Change> listener, String name) {
        this.connections = connections;
        this.listener = listener;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        Duration backoff = Duration.ofMillis(100);
        while (running) {
            try {
                connection = connections.open();
                try (Statement statement = connection.createStatement()) {
                    statement.execute("listen outbox");
                    statement.execute("listen outbox_held");
                }
                // Rows may have committed while nobody listened.
                listener.accept(Change.HELD_ROWS);
                backoff = Duration.ofMillis(100);
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] received = notifications.getNotifications(10_000);
                    if (received == null || received.length == 0) {
                        // Quiet for a while: make sure the connection is still alive.
                        try (Statement probe = connection.createStatement()) {
                            probe.execute("select 1");
                        }
                        continue;
                    }
                    boolean committed = false;
                    boolean held = false;
                    for (PGNotification notification : received) {
                        committed |= "outbox".equals(notification.getName());
                        held |= "outbox_held".equals(notification.getName());
                    }
                    if (held) {
                        listener.accept(Change.HELD_ROWS);
                    }
                    else if (committed) {
                        listener.accept(Change.COMMITTED);
                    }
                }
            }
            catch (SQLException | RuntimeException e) {
                if (running) {
                    log.debug("Outbox commit listener lost its connection; reconnecting: {}", e.toString());
                    sleep(backoff);
                    backoff = Collections.min(List.of(backoff.multipliedBy(2), Duration.ofSeconds(5)));
                }
            }
            finally {
                closeQuietly();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        Connection current = connection;
        if (current != null) {
            try {
                current.abort(Runnable::run);
            }
            catch (SQLException ignored) {
                // already broken
            }
        }
        thread.interrupt();
    }

    private void closeQuietly() {
        Connection current = connection;
        connection = null;
        if (current != null) {
            try {
                current.close();
            }
            catch (SQLException ignored) {
                // broken already
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
