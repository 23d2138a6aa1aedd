package io.ordercqrs.command.async;

import io.ordercqrs.command.outbox.TraceContexts;
import io.ordercqrs.service.web.CorrelationIdFilter;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs accepted commands: each worker claims the next one (locked, so no other worker of any
 * instance runs it), runs it and records its answer in one transaction, so a command's changes,
 * its outbox rows and its {@code done} commit together or not at all. A refused command is rolled
 * back and recorded {@code failed} with its problem; one that met an unavailable database stays
 * pending and runs when it answers again. Commands accepted here wake a worker at once; those
 * accepted elsewhere, or before a restart, are found within the poll interval. A command runs in
 * a span of the trace of the request that sent it, with its correlation id.
 */
@Component
class AcceptedCommandRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AcceptedCommandRunner.class);

    private final AcceptedCommands accepted;
    private final CommandKinds kinds;
    private final CommandRefusals problems;
    private final TransactionTemplate transactions;
    private final AsyncCommandSettings settings;
    private final TraceContexts traces;
    private final AsyncCommandMetrics metrics;
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile ExecutorService workers;

    AcceptedCommandRunner(AcceptedCommands accepted, CommandKinds kinds, CommandRefusals problems,
            TransactionTemplate transactions, AsyncCommandSettings settings, TraceContexts traces,
            AsyncCommandMetrics metrics) {
        this.accepted = accepted;
        this.kinds = kinds;
        this.problems = problems;
        this.transactions = transactions;
        this.settings = settings;
        this.traces = traces;
        this.metrics = metrics;
    }

    /** A command was accepted here: a worker looks now rather than at its next poll. */
    void wakeUp() {
        // At most one wake-up per worker is kept: more would only spin an idle worker, and an instance
        // without workers would count them up for ever.
        if (wakeUps.availablePermits() < settings.workers()) {
            wakeUps.release();
        }
    }

    @Override
    public void start() {
        ExecutorService started = Executors.newFixedThreadPool(Math.max(1, settings.workers()),
                new CustomizableThreadFactory("async-command-"));
        for (int i = 0; i < settings.workers(); i++) {
            started.execute(this::work);
        }
        workers = started;
    }

    @Override
    public void stop() {
        ExecutorService running = workers;
        workers = null;
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return workers != null;
    }

    private void work() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                if (!runNext()) {
                    wakeUps.tryAcquire(settings.pollEvery().toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            catch (InterruptedException e) {
                return;
            }
            catch (RuntimeException e) {
                log.warn("Could not look for accepted commands: {}", e.toString());
                try {
                    Thread.sleep(settings.pollEvery().toMillis());
                }
                catch (InterruptedException stopped) {
                    return;
                }
            }
        }
    }

    /** Runs the next command; {@code false} when there was none to run. */
    boolean runNext() {
        try {
            boolean ran = transactions.execute(status -> {
                Optional<AcceptedCommands.Accepted> next = accepted.claimNext(kinds.names());
                next.ifPresent(command -> accepted.done(command.id(), runAsCaller(command)));
                return next.isPresent();
            });
            if (ran) {
                metrics.completed(CommandStatus.State.DONE);
            }
            return ran;
        }
        catch (Refused refused) {
            ResponseEntity<ProblemDetail> problem = problems.of(refused.failure);
            if (problem.getStatusCode().isSameCodeAs(HttpStatus.SERVICE_UNAVAILABLE)) {
                log.warn("Accepted command {} waits: {}", refused.id, refused.failure.toString());
                return false;
            }
            if (problem.getBody().getInstance() == null) {
                problem.getBody().setInstance(refused.path());
            }
            // Counted once: another worker may have run the command again after the refusal let it go.
            if (Boolean.TRUE.equals(transactions.execute(status -> accepted.failed(refused.id, problem)))) {
                metrics.completed(CommandStatus.State.FAILED);
            }
            return true;
        }
    }

    private ResponseEntity<?> runAsCaller(AcceptedCommands.Accepted command) {
        try (MDC.MDCCloseable correlation = MDC.putCloseable(CorrelationIdFilter.MDC_KEY, command.correlationId())) {
            return traces.continued(command.traceparent(), "run " + command.kind(),
                    () -> kinds.run(command.kind(), command.command(), command.caller()));
        }
        catch (RuntimeException failure) {
            throw new Refused(command.id(), command.operation(), failure);
        }
    }

    /** The command failed: its transaction is rolled back, then its problem recorded. */
    private static final class Refused extends RuntimeException {

        private final UUID id;
        private final String operation;
        private final RuntimeException failure;

        Refused(UUID id, String operation, RuntimeException failure) {
            super(failure.getMessage(), failure, false, false);
            this.id = id;
            this.operation = operation;
            this.failure = failure;
        }

        /** The request's path, which a synchronous answer names as the problem's instance. */
        URI path() {
            return URI.create(operation.substring(operation.indexOf(' ') + 1));
        }
    }
}
