package io.ordercqrs.query.admin;

import io.ordercqrs.service.security.Caller;
import io.ordercqrs.service.web.InvalidRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Zero-downtime view rebuilds for ops: start one, watch its progress, cancel it. */
@RestController
@RequestMapping("/admin/rebuilds")
@Tag(name = "Rebuilds (ops)")
class RebuildController {

    static final Set<String> VIEWS = Set.of("order_views", "customer_order_summaries", "all");

    private final ViewRebuilds rebuilds;
    private final AdminAudit audit;

    RebuildController(ViewRebuilds rebuilds, AdminAudit audit) {
        this.rebuilds = rebuilds;
        this.audit = audit;
    }

    @PostMapping("/{view}")
    @Operation(summary = "Rebuild a view from the earliest offsets into a fresh copy, then switch",
            description = "order_views and customer_order_summaries are rebuilt together: summaries are computed "
                    + "from the order views. A second request while one runs is 409.")
    ResponseEntity<RebuildProgress> start(@PathVariable String view, Caller caller) {
        if (!VIEWS.contains(view)) {
            throw new InvalidRequest("view", "must be one of " + VIEWS);
        }
        RebuildProgress progress = rebuilds.start(view, caller.subject());
        audit.record(caller, "rebuild " + view, "started rebuild " + progress.id());
        return ResponseEntity.accepted().header("Location", "/admin/rebuilds/current").body(progress);
    }

    @GetMapping("/current")
    @Operation(summary = "Progress of the running or last rebuild: done, to go, rate, time left")
    RebuildProgress current() {
        return rebuilds.current();
    }

    @DeleteMapping("/current")
    @Operation(summary = "Cancel the running rebuild; the live views stay as they are")
    RebuildProgress cancel(Caller caller) {
        RebuildProgress progress = rebuilds.cancel();
        audit.record(caller, "cancel rebuild " + progress.id(), "cancellation requested");
        return progress;
    }
}
