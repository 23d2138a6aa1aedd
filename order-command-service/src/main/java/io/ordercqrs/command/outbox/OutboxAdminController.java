package io.ordercqrs.command.outbox;

import io.ordercqrs.service.security.Caller;
import io.ordercqrs.service.web.StandardProblemDetails;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.ErrorResponseException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox for ops: its state, the rows refused for good (to retry or discard them), and each
 * aggregate's retained events (to read them or queue them for publishing again). Every change is
 * logged with who asked for it.
 */
@RestController
@RequestMapping("/admin/outbox")
@Tag(name = "Outbox (ops)")
class OutboxAdminController {

    private static final Logger audit = LoggerFactory.getLogger("io.ordercqrs.audit");

    private final OutboxEntries entries;
    private final OutboxMetrics metrics;
    private final ObjectProvider<Relay> relay;
    private final JsonMapper json;
    private final RelaySettings settings;

    OutboxAdminController(OutboxEntries entries, OutboxMetrics metrics, ObjectProvider<Relay> relay,
            JsonMapper json, RelaySettings settings) {
        this.entries = entries;
        this.metrics = metrics;
        this.relay = relay;
        this.json = json;
        this.settings = settings;
    }

    /**
     * The outbox at a glance.
     *
     * @param oldestTransaction the oldest transaction still running that began before the oldest
     *                          row waiting in its slot, which may hold the backlog back; absent when none
     */
    record OutboxState(long backlog, long failed, double oldestAgeSeconds,
            OutboxEntries.@Nullable RunningTransaction oldestTransaction, RelayStatus relay) {
    }

    /**
     * An outbox row for ops, with its payload as JSON.
     *
     * @param state           {@code PUBLISHED}, {@code PENDING}, {@code HELD}, {@code FAILED} or {@code DISCARDED}
     * @param failedAt        when it was refused for good, or {@code null}
     * @param lastError       why it was refused, or {@code null}
     * @param publishAttempts how often it was refused
     */
    record EntryView(long id, UUID eventId, String aggregateType, UUID aggregateId, long sequence, String eventType,
            int schemaVersion, Instant occurredAt, String state, Instant failedAt, String lastError,
            int publishAttempts, Map<String, String> headers, JsonNode payload) {
    }

    /**
     * One page of the retained history.
     *
     * @param events   the page's events, oldest first within each aggregate
     * @param next     where the following page starts (the {@code after} to pass); absent before any row
     * @param complete whether this page reached the newest row that can be read now
     */
    record HistoryPage(List<EntryView> events, String next, boolean complete) {
    }

    /** What a republish queued: how many of the aggregate's published events go out again. */
    record Requeued(UUID aggregateId, int requeued) {
    }

    /** Why ops give a failed row up; kept with the row's copy. */
    record Discard(@NotBlank @Size(min = 1, max = 500) String reason) {
    }

    @GetMapping
    @Operation(summary = "Backlog, failed rows and this instance's relay")
    OutboxState state() {
        OutboxEntries.Backlog backlog = metrics.current();
        Relay local = relay.getIfAvailable();
        return new OutboxState(backlog.size(), backlog.failed(), metrics.oldestAgeSeconds(),
                metrics.oldestTransaction().orElse(null), local == null ? null : local.status());
    }

    @GetMapping("/failed")
    @Operation(summary = "Rows refused for good, oldest first; each holds its aggregate's later rows back")
    List<EntryView> failed(@RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        return entries.failed(limit).stream().map(this::view).toList();
    }

    @PostMapping("/failed/{id}/retry")
    @Operation(summary = "Put a failed row back in line; its aggregate's held rows follow it")
    EntryView retry(@PathVariable long id, Caller caller) {
        if (!entries.retry(id)) {
            throw notFailed(id);
        }
        audit.info("{} retried failed outbox row {}", caller.subject(), id);
        return view(entries.find(id).orElseThrow());
    }

    @PostMapping("/failed/{id}/discard")
    @Operation(summary = "Give a failed row up for good (with a reason, audited); its aggregate's later rows flow")
    EntryView discard(@PathVariable long id, @Valid @RequestBody Discard discard, Caller caller) {
        if (!entries.discard(id, discard.reason(), caller.subject())) {
            throw notFailed(id);
        }
        audit.info("{} discarded failed outbox row {}: {}", caller.subject(), id, discard.reason());
        return view(entries.find(id).orElseThrow());
    }

    @GetMapping("/events")
    @Operation(summary = "Every retained event that was or will be published, a page at a time",
            description = "In publishing order within each aggregate (by slot, transaction, id); pass `next` as "
                    + "`after` for the following page. `complete` is true once a page reaches the newest "
                    + "committed row: a row passed over was not committed when its page was read, so it reaches "
                    + "Kafka after that. Failed, held and discarded rows are left out. What the "
                    + "retention (`ordercqrs.outbox.retention.keep`) deleted is gone: the view side's rebuild from "
                    + "this history reports it as missing events.")
    HistoryPage events(
            @RequestParam(required = false) @Pattern(regexp = HistoryCursor.PATTERN) String after,
            @RequestParam(defaultValue = "1000") @Min(1) @Max(5000) int limit) {
        HistoryCursor from = HistoryCursor.parse(after);
        List<OutboxEntries.Row> rows = entries.retained(from, limit);
        HistoryCursor next = rows.isEmpty() ? from : HistoryCursor.after(rows.get(rows.size() - 1).entry());
        return new HistoryPage(rows.stream().map(this::view).toList(),
                next == HistoryCursor.START ? null : next.toString(), rows.size() < limit);
    }

    @GetMapping("/aggregates/{aggregateId}/events")
    @Operation(summary = "The retained events of one aggregate, in sequence order, each with where it stands")
    List<EntryView> history(@PathVariable UUID aggregateId) {
        return entries.history(aggregateId).stream().map(this::view).toList();
    }

    @PostMapping("/aggregates/{aggregateId}/republish")
    @Operation(summary = "Publish one aggregate's published events again, in order (for replay)",
            description = "In cdc mode it first waits, a few seconds at most, until the relay's positions have "
                    + "passed every event of the aggregate, and answers 503 while a transaction still running "
                    + "holds them back (events past them may be on Kafka already).",
            responses = @ApiResponse(responseCode = "202", description = "Queued for publishing",
                    useReturnTypeSchema = true))
    ResponseEntity<Requeued> republish(@PathVariable UUID aggregateId, Caller caller) throws InterruptedException {
        if (settings.mode() == RelaySettings.Mode.CDC && !entries.awaitPassed(aggregateId, positionsWait())) {
            // Rows past the positions may be on Kafka already: republishing without them would leave them out.
            ProblemDetail problem = StandardProblemDetails.problem(HttpStatus.SERVICE_UNAVAILABLE,
                    "outbox-positions-behind", "Not every event of the aggregate is behind the relay's positions",
                    "The relay's positions have not passed every event of aggregate " + aggregateId + " yet; in cdc "
                            + "mode they stop behind a transaction that is still running. Try again once it ended.");
            ErrorResponseException behind = new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
            behind.getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
            throw behind;
        }
        int requeued = entries.republish(aggregateId);
        audit.info("{} queued {} retained events of aggregate {} for publishing again", caller.subject(), requeued,
                aggregateId);
        return ResponseEntity.accepted().body(new Requeued(aggregateId, requeued));
    }

    /** How long a republish waits for the positions: a few of the cdc relay's marks. */
    private Duration positionsWait() {
        return settings.cdc().markInterval().multipliedBy(3).plusSeconds(2);
    }

    private static ErrorResponseException notFailed(long id) {
        ProblemDetail problem = StandardProblemDetails.problem(HttpStatus.NOT_FOUND, "outbox-row-not-failed",
                "Not a failed outbox row", "Outbox row " + id + " is not a failed row");
        return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
    }

    private EntryView view(OutboxEntries.Row row) {
        OutboxEntry entry = row.entry();
        Map<String, String> headers;
        try {
            headers = entry.headerMap();
        }
        catch (IllegalArgumentException e) {
            headers = Map.of("unreadable", entry.headers());
        }
        return new EntryView(entry.id(), entry.eventId(), entry.aggregateType(), entry.aggregateId(),
                entry.sequence(), entry.eventType(), entry.schemaVersion(), entry.occurredAt(), row.state(),
                row.failedAt(), row.lastError(), row.attempts(), headers, json.readTree(entry.payload()));
    }
}
