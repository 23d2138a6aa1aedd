package io.ordercqrs.command.outbox;

import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The life of a relay, whichever its mode: one thread runs its {@link #loop()} from
 * {@link #start()} to {@link #stop()}, woken through {@link #signals} (Kafka's answers, and the
 * {@link CommitListener}'s notifications on a connection of its own). An error the loop cannot
 * recover from ends the thread and the relay reports itself as not running; what it failed on last
 * is its {@link #lastError} until it works again.
 */
abstract class RelayThread implements Relay {

    private static final Logger log = LoggerFactory.getLogger(RelayThread.class);

    protected final String instance = UUID.randomUUID().toString().substring(0, 8);
    protected final LinkedBlockingQueue<Object> signals = new LinkedBlockingQueue<>();
    private final SlotOwnership.ConnectionFactory listenerConnections;
    private final String name;
    private final long stopWaitMillis;

    protected volatile boolean running;
    protected volatile String lastError;
    protected volatile Throwable died;
    private volatile Thread thread;
    private volatile CommitListener listener;

    /**
     * @param name     the thread's name, before the instance id
     * @param stopWait how long {@link #stop()} waits for the loop to finish
     */
    protected RelayThread(SlotOwnership.ConnectionFactory listenerConnections, String name,
            java.time.Duration stopWait) {
        this.listenerConnections = listenerConnections;
        this.name = name;
        this.stopWaitMillis = stopWait.toMillis();
    }

    /** Runs until {@link #running} is false; throws only what it cannot recover from. */
    protected abstract void loop() throws InterruptedException;

    /** Breaks what the loop may be blocked on, from the stopping thread. */
    protected abstract void abortWaits();

    /** Releases what the loop held, on its own thread, once it ended however it ended. */
    protected abstract void cleanUp();

    /** Acts on one signal, on the relay thread. */
    protected abstract void handle(Object signal);

    /** Waits at most {@code nanos} for a signal and acts on it. */
    protected void awaitSignal(long nanos) throws InterruptedException {
        Object signal = signals.poll(Math.max(nanos, 0), TimeUnit.NANOSECONDS);
        if (signal != null) {
            handle(signal);
        }
    }

    /** Acts on every signal waiting. */
    protected void handleSignals() {
        Object signal;
        while ((signal = signals.poll()) != null) {
            handle(signal);
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        died = null;
        listener = new CommitListener(listenerConnections, signals::add, name + "-listener-" + instance);
        listener.start();
        thread = new Thread(this::run, name + "-" + instance);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        Thread current = thread;
        if (current != null) {
            current.interrupt();
            abortWaits();
            try {
                current.join(stopWaitMillis);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        CommitListener commits = listener;
        if (commits != null) {
            commits.close();
        }
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server, so no accepted command waits for a relay that is gone. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }

    /** Whether the loop runs: started, not stopped, and not ended by an error. */
    protected boolean alive() {
        Thread current = thread;
        return running && died == null && current != null && current.isAlive();
    }

    /** Remembers (and logs once) why the loop starts over. */
    protected void failed(String what, Throwable e) {
        String message = e instanceof KafkaUnavailable ? e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        if (!message.equals(lastError)) {
            log.warn("{} (relay {}); backing off and starting over: {}", what, instance, message);
        }
        lastError = message;
    }

    /** The relay works again. */
    protected void recovered() {
        if (lastError != null && died == null) {
            log.info("Outbox relay {} recovered", instance);
            lastError = null;
        }
    }

    private void run() {
        try {
            loop();
        }
        catch (InterruptedException e) {
            if (running) {
                died = e;
                lastError = "The relay was interrupted";
            }
        }
        catch (Throwable e) {
            died = e;
            lastError = "The relay stopped: " + e;
            log.error("Outbox relay {} stopped on an error it cannot recover from", instance, e);
        }
        finally {
            cleanUp();
        }
    }
}
