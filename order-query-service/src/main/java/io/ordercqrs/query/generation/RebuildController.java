package io.ordercqrs.query.generation;

import io.ordercqrs.query.audit.AdminAudit;
import io.ordercqrs.service.security.Caller;
import io.ordercqrs.service.web.InvalidRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Rebuilds for ops: start one, watch it, cancel it or switch it in despite skipped records; list the generations. */
@RestController
@RequestMapping("/admin")
@Tag(name = "Rebuilds (ops)")
class RebuildController {

    static final Set<String> VIEWS = Set.of("order_views", "customer_order_summaries", "all");
    static final Set<String> SOURCES = Set.of("topics", "history");

    private final Rebuilds rebuilds;
    private final AdminAudit audit;

    RebuildController(Rebuilds rebuilds, AdminAudit audit) {
        this.rebuilds = rebuilds;
        this.audit = audit;
    }

    @PostMapping("/rebuilds/{view}")
    @Operation(summary = "Rebuild the views as a new generation; it switches in by itself once caught up",
            description = "Every view is rebuilt together (summaries and customer details are derived from the same "
                    + "events), so order_views, customer_order_summaries and all start the same rebuild. Every "
                    + "instance consumes for it. `from=topics` (the default) reads the topics from their earliest "
                    + "offsets; `from=history` first reads the command side's retained history (with the query "
                    + "service's own token, or this instance with the caller's when it has none), then the topics from where they ended at the start: for topics "
                    + "whose retention deleted events. A history that lacks events (deleted by the command side's "
                    + "retention) fails the rebuild, saying which. A second request while one is under way is 409.",
            responses = @ApiResponse(responseCode = "202", description = "Started; Location names its status",
                    useReturnTypeSchema = true))
    ResponseEntity<RebuildStatus> start(@PathVariable String view,
            @Parameter(schema = @Schema(allowableValues = {"topics", "history"}))
            @RequestParam(defaultValue = "topics") String from, Caller caller, @AuthenticationPrincipal Jwt token) {
        if (!SOURCES.contains(from)) {
            throw new InvalidRequest("from", "must be one of " + SOURCES);
        }
        if (!VIEWS.contains(view)) {
            throw new InvalidRequest("view", "must be one of " + VIEWS);
        }
        RebuildStatus status = rebuilds.start(caller.subject(), Rebuilds.Source.valueOf(from.toUpperCase(Locale.ROOT)),
                token.getTokenValue());
        audit.record(caller, "rebuild " + view + " from " + from, "started generation " + status.generation());
        return ResponseEntity.accepted().header("Location", "/admin/rebuilds/current").body(status);
    }

    @GetMapping("/rebuilds/current")
    @Operation(summary = "The rebuild under way, or the last one: state, done, to go, rate, time left, what it skipped")
    RebuildStatus current() {
        return rebuilds.status();
    }

    @DeleteMapping("/rebuilds/current")
    @Operation(summary = "Cancel the rebuild under way; the active views stay as they are",
            description = "409 once it has switched in (or is switching): a cancel answered 200 always stays cancelled.")
    RebuildStatus cancel(Caller caller) {
        RebuildStatus status = rebuilds.cancel(caller.subject());
        audit.record(caller, "cancel rebuild of generation " + status.generation(), "cancelled");
        return status;
    }

    @PostMapping("/rebuilds/current/switch")
    @Operation(summary = "Switch the rebuild in once it has caught up, although it skipped records",
            description = "A rebuild that parked or held records does not switch in by itself; this asks for it. "
                    + "Its skipped records stay dead letters of the new generation, to retry or discard.",
            responses = @ApiResponse(responseCode = "202", description = "The switch is asked for",
                    useReturnTypeSchema = true))
    ResponseEntity<RebuildStatus> requestSwitch(Caller caller) {
        RebuildStatus status = rebuilds.requestSwitch();
        audit.record(caller, "switch to generation " + status.generation(), status.skipped() + " records skipped");
        return ResponseEntity.accepted().header("Location", "/admin/rebuilds/current").body(status);
    }

    @GetMapping("/generations")
    @Operation(summary = "Every view generation still listed, newest first, and which one is active")
    List<RebuildStatus> generations() {
        return rebuilds.generations();
    }
}
