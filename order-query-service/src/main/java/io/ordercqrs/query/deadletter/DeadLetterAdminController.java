package io.ordercqrs.query.deadletter;

import io.ordercqrs.events.AggregateType;
import io.ordercqrs.query.audit.AdminAudit;
import io.ordercqrs.query.commandside.CommandService;
import io.ordercqrs.query.generation.Rebuilds;
import io.ordercqrs.query.web.ViewNotFound;
import io.ordercqrs.service.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;

/**
 * Everything stuck, in one list: records the projections parked or held, and outbox rows the
 * relay could not publish. Ops show, retry and discard them here; every action is audited.
 */
@RestController
@RequestMapping("/admin/dead-letters")
@Tag(name = "Dead letters (ops)")
class DeadLetterAdminController {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterAdminController.class);
    private static final String OUTBOX_PREFIX = "outbox-";
    private static final List<DeadLetterStatus> OPEN = List.of(DeadLetterStatus.PARKED, DeadLetterStatus.HELD);

    private final DeadLetters deadLetters;
    private final DeadLetterRetries retries;
    private final CommandService commandService;
    private final AdminAudit audit;
    private final Rebuilds rebuilds;

    DeadLetterAdminController(DeadLetters deadLetters, DeadLetterRetries retries, CommandService commandService,
            AdminAudit audit, Rebuilds rebuilds) {
        this.deadLetters = deadLetters;
        this.retries = retries;
        this.commandService = commandService;
        this.audit = audit;
        this.rebuilds = rebuilds;
    }

    /** The list, and whether the command side's outbox rows could be included. */
    record StuckList(List<StuckItem> items, int count, String outboxUnavailable) {
    }

    /** One letter in full: its headers, its error and its payload as text. */
    record Detail(DeadLetter letter, String payload) {
    }

    /** Why a letter is given up on. */
    record Discard(@NotBlank @Size(min = 1, max = 500) String reason) {
    }

    @GetMapping
    @Operation(summary = "Everything stuck: parked and held records, and failed outbox rows",
            description = "Letters of the active generation and of a rebuild under way, unless a generation is given.")
    StuckList list(@RequestParam(required = false) String topic, @RequestParam(required = false) String aggregate,
            @RequestParam(required = false) String error,
            @RequestParam(required = false) @Min(1) Long generation,
            @RequestParam(defaultValue = "false") boolean includeClosed,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
            @AuthenticationPrincipal Jwt token) {
        List<StuckItem> items = new ArrayList<>();
        Query letters = filter(topic, aggregate, error, includeClosed ? List.of() : OPEN,
                generation != null ? List.of(generation) : rebuilds.current());
        for (DeadLetter letter : deadLetters.findAll(letters.limit(limit))) {
            items.add(new StuckItem(letter.id(), "projection", letter.generation(), letter.topic(), letter.key(),
                    letter.eventType(),
                    letter.sequence(), letter.status().name(), letter.errorType(), letter.error(), letter.attempts(),
                    letter.parkedAt()));
        }
        String outboxUnavailable = null;
        try {
            for (JsonNode row : commandService.failedOutboxRows(token.getTokenValue())) {
                StuckItem item = outboxItem(row);
                if (matches(item, topic, aggregate, error) && items.size() < limit) {
                    items.add(item);
                }
            }
        }
        catch (RestClientException e) {
            log.warn("Could not list failed outbox rows: {}", e.getMessage());
            outboxUnavailable = "The command service did not answer: " + e.getMessage();
        }
        return new StuckList(items, items.size(), outboxUnavailable);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One dead letter with its payload, headers and error")
    Object show(@PathVariable String id, @AuthenticationPrincipal Jwt token) {
        if (id.startsWith(OUTBOX_PREFIX)) {
            long rowId = outboxRowId(id);
            return commandService.failedOutboxRows(token.getTokenValue()).stream()
                    .filter(row -> row.get("id").asLong() == rowId).findFirst()
                    .orElseThrow(() -> new ViewNotFound("failed outbox row", rowId));
        }
        DeadLetter letter = deadLetters.findById(id).orElseThrow(() -> new DeadLetterNotFound(id));
        return new Detail(letter, letter.payloadText());
    }

    @PostMapping("/{id}/retry")
    @Operation(summary = "Retry one; what was held behind it follows in order")
    Object retry(@PathVariable String id, Caller caller, @AuthenticationPrincipal Jwt token) {
        if (id.startsWith(OUTBOX_PREFIX)) {
            JsonNode row = commandService.retryOutboxRow(outboxRowId(id), token.getTokenValue());
            audit.record(caller, "retry " + id, "outbox row back in line");
            return row;
        }
        DeadLetterRetries.Result result = retries.retry(id);
        audit.record(caller, "retry dead letter " + id, outcome(result));
        return result;
    }

    @PostMapping("/retry")
    @Operation(summary = "Retry every parked letter matching the filters, each with what is held behind it",
            description = "Letters of the active generation and of a rebuild under way.")
    List<DeadLetterRetries.Result> retryAll(@RequestParam(required = false) String topic,
            @RequestParam(required = false) String aggregate, @RequestParam(required = false) String error,
            Caller caller) {
        Query parked = filter(topic, aggregate, error, List.of(DeadLetterStatus.PARKED), rebuilds.current());
        List<DeadLetterRetries.Result> results = new ArrayList<>();
        for (DeadLetter letter : deadLetters.findAll(parked.limit(1000))) {
            DeadLetterRetries.Result result = retries.retry(letter.id());
            audit.record(caller, "retry dead letter " + letter.id(), outcome(result));
            results.add(result);
        }
        return results;
    }

    @PostMapping("/{id}/discard")
    @Operation(summary = "Give up on one, with a reason; what was held behind it is tried next")
    DeadLetterRetries.Result discard(@PathVariable String id, @Valid @RequestBody Discard discard, Caller caller) {
        DeadLetterRetries.Result result = retries.discard(id, discard.reason(), caller.subject());
        audit.record(caller, "discard dead letter " + id + " because '" + discard.reason() + "'", outcome(result));
        return result;
    }

    /** The letters matching the filters, in the given statuses (all when empty), of the given generations. */
    private static Query filter(String topic, String aggregate, String error, List<DeadLetterStatus> statuses,
            List<Long> generations) {
        Criteria criteria = Criteria.where("generation").in(generations);
        if (topic != null) {
            criteria.and("topic").is(topic);
        }
        if (aggregate != null) {
            criteria.and("key").is(aggregate);
        }
        if (error != null) {
            criteria.orOperator(Criteria.where("errorType").regex(Pattern.quote(error), "i"),
                    Criteria.where("error").regex(Pattern.quote(error), "i"));
        }
        if (!statuses.isEmpty()) {
            criteria.and("status").in(statuses);
        }
        return Query.query(criteria).with(Sort.by("parkedAt", "_id"));
    }

    private static StuckItem outboxItem(JsonNode row) {
        String aggregateType = row.get("aggregateType").asString();
        String topic;
        try {
            topic = AggregateType.fromWireName(aggregateType).topic();
        }
        catch (IllegalArgumentException unknown) {
            // Written by a newer version of the command service; the row failed because of it.
            topic = null;
        }
        return new StuckItem(OUTBOX_PREFIX + row.get("id").asLong(), "outbox", null, topic,
                row.get("aggregateId").asString(),
                row.get("eventType").asString(), row.get("sequence").asLong(), "FAILED", "OutboxPublishFailed",
                row.path("lastError").asString(null), row.get("publishAttempts").asInt(),
                row.hasNonNull("failedAt") ? Instant.parse(row.get("failedAt").asString()) : null);
    }

    private static boolean matches(StuckItem item, String topic, String aggregate, String error) {
        return (topic == null || topic.equals(item.topic())) && (aggregate == null || aggregate.equals(item.aggregate()))
                && (error == null || (item.error() != null && item.error().toLowerCase().contains(error.toLowerCase())));
    }

    private static long outboxRowId(String id) {
        try {
            return Long.parseLong(id.substring(OUTBOX_PREFIX.length()));
        }
        catch (NumberFormatException e) {
            throw new ViewNotFound("failed outbox row", id);
        }
    }

    private static String outcome(DeadLetterRetries.Result result) {
        return "resolved " + result.resolved() + (result.stillParked() == null ? ""
                : ", parked again: " + result.stillParked().id() + " (" + result.stillParked().error() + ")");
    }
}
