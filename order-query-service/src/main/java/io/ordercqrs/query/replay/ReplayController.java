package io.ordercqrs.query.replay;

import io.ordercqrs.events.Topics;
import io.ordercqrs.query.audit.AdminAudit;
import io.ordercqrs.service.security.Caller;
import io.ordercqrs.service.web.InvalidRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Replays for ops: one order from its events, or a topic from a time or offset. */
@RestController
@RequestMapping("/admin/replay")
@Tag(name = "Replay (ops)")
class ReplayController {

    private final OrderReplay orders;
    private final TopicReplay topics;
    private final AdminAudit audit;

    ReplayController(OrderReplay orders, TopicReplay topics, AdminAudit audit) {
        this.orders = orders;
        this.topics = topics;
        this.audit = audit;
    }

    @PostMapping("/orders/{orderId}")
    @Operation(summary = "Re-derive one order's view from its events",
            description = "source=topic reads the order topic; source=outbox reads the command side's retained history, "
                    + "for when Kafka no longer holds the events.")
    OrderReplay.Result replayOrder(@PathVariable UUID orderId, @RequestParam(defaultValue = "topic") String source,
            Caller caller, @AuthenticationPrincipal Jwt token) {
        OrderReplay.Source from = switch (source) {
            case "topic" -> OrderReplay.Source.TOPIC;
            case "outbox" -> OrderReplay.Source.OUTBOX;
            default -> throw new InvalidRequest("source", "must be topic or outbox");
        };
        OrderReplay.Result result = orders.replay(orderId, from, token.getTokenValue());
        audit.record(caller, "replay order " + orderId + " from " + source,
                result.changed() ? "view replaced at version " + result.version() : "view was already correct");
        return result;
    }

    @PostMapping("/topics/{topic}")
    @Operation(summary = "Apply a topic's events again from a time or an offset (in every partition)",
            description = "Up to where the live consumers have applied the topic: what they have yet to read is "
                    + "theirs to apply.")
    TopicReplay.Result replayTopic(@PathVariable String topic, @RequestParam(required = false) Long fromOffset,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant fromTime,
            Caller caller) {
        if (!Topics.ALL.contains(topic)) {
            throw new InvalidRequest("topic", "must be one of " + Topics.ALL);
        }
        if ((fromOffset == null) == (fromTime == null)) {
            throw new InvalidRequest("fromOffset", "give either fromOffset or fromTime");
        }
        if (fromOffset != null && fromOffset < 0) {
            throw new InvalidRequest("fromOffset", "must not be negative");
        }
        TopicScan.Start start = fromOffset != null ? new TopicScan.FromOffset(fromOffset)
                : new TopicScan.FromTime(fromTime);
        TopicReplay.Result result = topics.replay(topic, start);
        audit.record(caller, "replay topic " + topic + " from " + (fromOffset != null ? "offset " + fromOffset
                : fromTime), result.applied() + " events applied, " + result.parked() + " parked");
        return result;
    }
}
