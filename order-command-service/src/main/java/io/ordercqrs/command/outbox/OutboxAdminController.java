package io.ordercqrs.command.outbox;

import io.ordercqrs.service.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox for ops: its state, the rows Kafka refused for good (to retry them), and each
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
    private final ObjectProvider<OutboxRelay> relay;
    private final JsonMapper json;

    OutboxAdminController(OutboxEntries entries, OutboxMetrics metrics, ObjectProvider<OutboxRelay> relay,
            JsonMapper json) {
        this.entries = entries;
        this.metrics = metrics;
        this.relay = relay;
        this.json = json;
    }

    /** The outbox at a glance. */
    record OutboxState(long backlog, long failed, double oldestAgeSeconds, RelayStatus relay) {
    }

    /** An outbox row for ops, with its payload as JSON. */
    record EntryView(long id, UUID eventId, String aggregateType, UUID aggregateId, long sequence, String eventType,
            int schemaVersion, Instant occurredAt, Instant publishedAt, Instant failedAt, String lastError,
            int publishAttempts, Map<String, String> headers, JsonNode payload) {
    }

    @GetMapping
    @Operation(summary = "Backlog, failed rows and this instance's relay")
    OutboxState state() {
        OutboxEntries.Backlog backlog = metrics.current();
        OutboxRelay local = relay.getIfAvailable();
        return new OutboxState(backlog.size(), backlog.failed(), metrics.oldestAgeSeconds(),
                local == null ? null : local.status());
    }

    @GetMapping("/failed")
    @Operation(summary = "Rows Kafka refused for good, oldest first")
    List<EntryView> failed(@RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        return entries.failed(limit).stream().map(this::view).toList();
    }

    @PostMapping("/failed/{id}/retry")
    @Operation(summary = "Put a failed row back in line; its aggregate's held rows follow it")
    EntryView retry(@PathVariable long id, Caller caller) {
        if (!entries.retry(id)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "Outbox row " + id + " is not a failed row");
        }
        audit.info("{} retried failed outbox row {}", caller.subject(), id);
        return view(entries.find(id).orElseThrow());
    }

    @GetMapping("/aggregates/{aggregateId}/events")
    @Operation(summary = "The retained events of one aggregate, in sequence order")
    List<EntryView> history(@PathVariable UUID aggregateId) {
        return entries.history(aggregateId).stream().map(this::view).toList();
    }

    @PostMapping("/aggregates/{aggregateId}/republish")
    @Operation(summary = "Publish one aggregate's retained events again, in order (for replay)")
    ResponseEntity<Map<String, Object>> republish(@PathVariable UUID aggregateId, Caller caller) {
        int requeued = entries.republish(aggregateId);
        audit.info("{} queued {} retained events of aggregate {} for publishing again", caller.subject(), requeued,
                aggregateId);
        return ResponseEntity.accepted().body(Map.of("aggregateId", aggregateId, "requeued", requeued));
    }

    private EntryView view(OutboxEntry entry) {
        return new EntryView(entry.id(), entry.eventId(), entry.aggregateType().wireName(), entry.aggregateId(),
                entry.sequence(), entry.eventType(), entry.schemaVersion(), entry.occurredAt(), entry.publishedAt(),
                entry.failedAt(), entry.lastError(), entry.publishAttempts(), entry.headers(),
                json.readTree(entry.payload()));
    }
}
