package io.ordercqrs.query.generation;

import io.ordercqrs.events.wire.EventCodec;
import io.ordercqrs.query.commandside.CommandService;
import io.ordercqrs.query.commandside.RetainedEvents;
import io.ordercqrs.query.commandside.ServiceCredential;
import io.ordercqrs.query.projection.EventProjection;
import io.ordercqrs.query.projection.Origin;
import io.ordercqrs.query.projection.SourcedEvent;
import io.ordercqrs.query.projection.ViewSet;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import tools.jackson.databind.JsonNode;

/**
 * Reads the command side's retained history into a new generation, page by page. Each page goes
 * through the one projection path as a sequence of its own beside the topics' partitions, so
 * summaries count every event once. What the generation needs to know is in its document after
 * every page, with a lease: when the reader stops (its instance died) and the lease runs out,
 * another instance goes on from the last page recorded, if the query service has a credential of
 * its own for the command side ({@link ServiceCredential}); with only the ops caller's token,
 * which stays on the instance they asked, the generation fails with the reason instead. It is
 * never left half read and switching in.
 */
@Component
class HistoryRebuild implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(HistoryRebuild.class);
    private static final int PAGE = 1000;

    private final CommandService commandService;
    private final ServiceCredential credential;
    private final EventCodec codec;
    private final EventProjection projection;
    private final Generations generations;
    private final GenerationSettings settings;
    private final HistoryRetries retries = new HistoryRetries(Duration.ofSeconds(1));
    private final String instance = ManagementFactory.getRuntimeMXBean().getName();
    private final ExecutorService readers = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "history-rebuild");
        thread.setDaemon(true);
        return thread;
    });

    HistoryRebuild(CommandService commandService, ServiceCredential credential, EventCodec codec,
            EventProjection projection, Generations generations, GenerationSettings settings) {
        this.commandService = commandService;
        this.credential = credential;
        this.codec = codec;
        this.projection = projection;
        this.generations = generations;
        this.settings = settings;
    }

    /** How a new generation that reads the history starts: this instance reads it. */
    Generation.History start() {
        return new Generation.History(false, 0, null, newReader(), lease(), 1);
    }

    /**
     * Reads the history into {@code generation}, in the background, with the query service's own
     * token if it has one, or else with the ops caller's {@code opsToken}.
     */
    void read(Generation generation, @Nullable String opsToken, Runnable whenDone) {
        readers.execute(() -> {
            try {
                if (readAll(generation, opsToken)) {
                    whenDone.run();
                }
            }
            catch (RuntimeException e) {
                fail(generation, "Reading the command side's history failed: " + describe(e));
            }
        });
    }

    /** Whether another instance can go on with a history whose reader stopped: only with a token of its own. */
    boolean handsOver() {
        return credential.configured();
    }

    /**
     * Goes on reading {@code generation}'s history on this instance, from the last page recorded,
     * if its reader's lease ran out and no other instance took it over first; only where
     * {@link #handsOver()}.
     */
    void takeOver(Generation generation, Runnable whenDone) {
        Generation.History stopped = generation.history();
        if (stopped == null || stopped.done()) {
            return;
        }
        Generation.History resumed = new Generation.History(false, stopped.events(), stopped.cursor(), newReader(),
                lease(), Math.max(1, stopped.read()) + 1);
        if (generations.takeOverHistory(generation.id(), stopped.reader(), resumed)) {
            log.warn("View generation {}: the instance reading the command side's history ({}) let its lease run out "
                    + "at {}; this instance goes on after {} events", generation.id(), stopped.reader(),
                    stopped.leaseUntil(), stopped.events());
            generations.find(generation.id()).ifPresent(taken -> read(taken, null, whenDone));
        }
    }

    /** {@code true} once all of it is read; {@code false} if the generation ended or another reader took over. */
    private boolean readAll(Generation generation, @Nullable String opsToken) {
        Generation.History history = generation.history();
        if (history == null) {
            return false;
        }
        String reader = history.reader();
        long events = history.events();
        @Nullable String cursor = history.cursor();
        while (true) {
            CommandService.HistoryPage page = page(cursor, opsToken);
            List<SourcedEvent> sourced = new ArrayList<>();
            for (JsonNode row : page.events()) {
                sourced.add(SourcedEvent.of(codec, RetainedEvents.envelope(row),
                        Origin.history(history.read(), events + sourced.size())));
            }
            EventProjection.Failure failure = apply(sourced, generation.views()).failure();
            if (failure != null) {
                JsonNode row = page.events().get(failure.index());
                fail(generation, "Event " + row.path("sequence").asLong() + " of " + row.path("aggregateType").asString()
                        + " " + row.path("aggregateId").asString() + " in the command side's history could not be "
                        + "applied (" + failure.cause().getMessage() + "); events the retention deleted are missing "
                        + "there: rebuild from the topics instead");
                return false;
            }
            events += sourced.size();
            cursor = page.next() == null ? cursor : page.next();
            if (!generations.recordHistory(generation.id(), new Generation.History(page.complete(), events, cursor,
                    reader, lease(), history.read()))) {
                log.info("View generation {} ended, or another instance took its history over, while this one read "
                        + "it; reading stopped", generation.id());
                return false;
            }
            if (page.complete()) {
                log.info("View generation {}: {} events read from the command side's history; its consumers "
                        + "go on from the topics", generation.id(), events);
                return true;
            }
        }
    }

    /** Applies a page; a failure not about one event (the store unavailable for a moment) is tried again. */
    private EventProjection.Outcome apply(List<SourcedEvent> page, ViewSet views) {
        return retries.apply(() -> projection.fold(page, views));
    }

    private CommandService.HistoryPage page(@Nullable String cursor, @Nullable String opsToken) {
        return retries.read(() -> {
            String token = credential.token().orElse(opsToken);
            if (token == null) {
                throw new IllegalStateException("no token to read the command side's history with");
            }
            return commandService.historyPage(cursor, PAGE, token);
        });
    }

    /** Fails the generation, unless another instance took its history over from this reader meanwhile. */
    private void fail(Generation generation, String why) {
        Generation.History history = generation.history();
        if (history != null && generations.failReading(generation.id(), history.reader(), why)) {
            log.warn("View generation {} failed: {}", generation.id(), why);
        }
    }

    private String describe(RuntimeException e) {
        if (e instanceof HttpClientErrorException refused && (refused.getStatusCode().value() == 401
                || refused.getStatusCode().value() == 403)) {
            return credential.configured()
                    ? "the command side refused the query service's own token (" + refused.getStatusCode().value()
                            + "); its client at the issuer needs the role history-reader"
                    : "the command side refused the ops token (" + refused.getStatusCode().value()
                            + "); it may have expired: start the rebuild again";
        }
        if (e instanceof OAuth2AuthorizationException refused) {
            return "the issuer gave the query service no token of its own (" + refused.getError().getErrorCode()
                    + "): check ordercqrs.command-service.client-id, client-secret and token-uri";
        }
        return e.getMessage();
    }

    private String newReader() {
        return instance + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Instant lease() {
        return generations.now().plus(settings.historyLease());
    }

    @Override
    public void destroy() throws InterruptedException {
        readers.shutdownNow();
        readers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
