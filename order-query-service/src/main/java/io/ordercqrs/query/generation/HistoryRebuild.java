package io.ordercqrs.query.generation;

import io.ordercqrs.events.wire.EventCodec;
import io.ordercqrs.query.commandside.CommandService;
import io.ordercqrs.query.commandside.RetainedEvents;
import io.ordercqrs.query.projection.EventProjection;
import io.ordercqrs.query.projection.Origin;
import io.ordercqrs.query.projection.SourcedEvent;
import java.lang.management.ManagementFactory;
import java.time.Duration;
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
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;

/**
 * Reads the command side's retained history into a new generation, page by page, on the instance
 * ops asked (it calls the command side with their token). Each page goes through the one
 * projection path as a sequence of its own beside the topics' partitions, so summaries count every
 * event once. What the generation needs to know is in its document after every page: a reader
 * that stops (the instance died, the token expired) fails the generation, with the reason, and
 * never leaves it half read and switching in.
 */
@Component
class HistoryRebuild implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(HistoryRebuild.class);
    private static final int PAGE = 1000;
    private static final int ATTEMPTS = 3;

    private final CommandService commandService;
    private final EventCodec codec;
    private final EventProjection projection;
    private final Generations generations;
    private final GenerationSettings settings;
    private final String reader = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
    private final ExecutorService readers = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "history-rebuild");
        thread.setDaemon(true);
        return thread;
    });

    HistoryRebuild(CommandService commandService, EventCodec codec, EventProjection projection,
            Generations generations, GenerationSettings settings) {
        this.commandService = commandService;
        this.codec = codec;
        this.projection = projection;
        this.generations = generations;
        this.settings = settings;
    }

    /** How a new generation that reads the history starts: this instance reads it. */
    Generation.History start() {
        return new Generation.History(false, 0, null, reader, generations.now().plus(settings.abandonedAfter()));
    }

    /** Reads the history into {@code generation}, in the background, with the ops caller's {@code token}. */
    void read(Generation generation, String token, Runnable whenDone) {
        readers.execute(() -> {
            try {
                if (readAll(generation, token)) {
                    whenDone.run();
                }
            }
            catch (RuntimeException e) {
                fail(generation, "Reading the command side's history failed: " + describe(e));
            }
        });
    }

    /** {@code true} once all of it is read; {@code false} if the generation ended meanwhile. */
    private boolean readAll(Generation generation, String token) {
        Generation.History history = generation.history();
        long events = history == null ? 0 : history.events();
        @Nullable String cursor = history == null ? null : history.cursor();
        while (true) {
            CommandService.HistoryPage page = page(cursor, token);
            List<SourcedEvent> sourced = new ArrayList<>();
            for (JsonNode row : page.events()) {
                sourced.add(SourcedEvent.of(codec, RetainedEvents.envelope(row),
                        Origin.history(events + sourced.size())));
            }
            EventProjection.Failure failure = projection.fold(sourced, generation.views()).failure();
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
                    reader, generations.now().plus(settings.abandonedAfter())))) {
                log.info("View generation {} ended while its history was read; reading stopped", generation.id());
                return false;
            }
            if (page.complete()) {
                log.info("View generation {}: {} events read from the command side's history; its consumers "
                        + "go on from the topics", generation.id(), events);
                return true;
            }
        }
    }

    private CommandService.HistoryPage page(@Nullable String cursor, String token) {
        for (int attempt = 1; ; attempt++) {
            try {
                return commandService.historyPage(cursor, PAGE, token);
            }
            catch (HttpClientErrorException refused) {
                throw refused;
            }
            catch (RestClientException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                log.warn("Reading the command side's history failed, trying again: {}", e.getMessage());
                pause(Duration.ofSeconds(attempt));
            }
        }
    }

    private void fail(Generation generation, String why) {
        if (generations.fail(generation.id(), why)) {
            log.warn("View generation {} failed: {}", generation.id(), why);
        }
    }

    private static String describe(RuntimeException e) {
        if (e instanceof HttpClientErrorException refused && (refused.getStatusCode().value() == 401
                || refused.getStatusCode().value() == 403)) {
            return "the command side refused the ops token (" + refused.getStatusCode().value()
                    + "); it may have expired: start the rebuild again";
        }
        return e.getMessage();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the command side's history", e);
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        readers.shutdownNow();
        readers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
