package io.ordercqrs.service.health;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * A health check that answers within a bounded time whatever the server it checks does: the check
 * runs on a thread of its own, at most one at a time, and a check that has not answered in time
 * makes the component DOWN ("no answer for N s") without starting another, so a stalled server
 * neither blocks {@code /actuator/health} nor piles up threads. A fresh answer is reused for a
 * short while, so frequent probes cost one check.
 */
public class BoundedHealthCheck implements HealthIndicator, AutoCloseable {

    private final String what;
    private final Supplier<Health> check;
    private final Duration timeout;
    private final Duration reuseFor;
    private final ExecutorService thread;
    private CompletableFuture<Health> running;
    private long runningSince;
    private Health last;
    private long lastAt;

    /**
     * @param what     what is checked, for the DOWN detail ("PostgreSQL", "Kafka")
     * @param check    the check itself; it may block, and throw to say DOWN
     * @param timeout  how long {@link #health()} waits for it
     * @param reuseFor how long an answer is reused
     */
    public BoundedHealthCheck(String what, Supplier<Health> check, Duration timeout, Duration reuseFor) {
        this.what = what;
        this.check = check;
        this.timeout = timeout;
        this.reuseFor = reuseFor;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread daemon = new Thread(runnable, "health-" + what.toLowerCase().replace(' ', '-'));
            daemon.setDaemon(true);
            return daemon;
        });
    }

    @Override
    public Health health() {
        CompletableFuture<Health> current;
        synchronized (this) {
            long now = System.nanoTime();
            if (last != null && now - lastAt < reuseFor.toNanos()) {
                return last;
            }
            if (running == null) {
                running = CompletableFuture.supplyAsync(this::checkNow, thread);
                runningSince = now;
            }
            current = running;
        }
        long waitNanos = timeout.toNanos() - (System.nanoTime() - runningSince);
        try {
            return current.get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
        }
        catch (TimeoutException e) {
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - runningSince);
            return Health.down().withDetail("error", what + " has not answered for " + Math.max(1, seconds) + " s")
                    .build();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().build();
        }
        catch (ExecutionException e) {
            return Health.down().withException(e.getCause()).build();
        }
    }

    private Health checkNow() {
        Health health;
        try {
            health = check.get();
        }
        catch (RuntimeException e) {
            health = Health.down().withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
        synchronized (this) {
            last = health;
            lastAt = System.nanoTime();
            running = null;
        }
        return health;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
