package io.ordercqrs.query.orderview;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.query.generation.ActiveViews;
import io.ordercqrs.query.web.ViewNotFound;
import io.ordercqrs.service.security.Caller;
import io.ordercqrs.service.web.InvalidRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Order views for frontends, read from the active generation. Customers see only their own orders:
 * another customer's order is answered exactly like one that does not exist, and lists are
 * filtered to the caller. Queries never write.
 */
@RestController
@RequestMapping("/orders")
class OrderViewController {

    /** No order has anywhere near this many events; a larger minimum version is a mistake. */
    static final long MAX_VERSION = 1_000_000;

    private final OrderViews views;
    private final ActiveViews active;
    private final ViewWaits waits;
    private final QuerySettings settings;

    OrderViewController(OrderViews views, ActiveViews active, ViewWaits waits, QuerySettings settings) {
        this.views = views;
        this.active = active;
        this.waits = waits;
        this.settings = settings;
    }

    /**
     * One order's view. With {@code minVersion} (the version a command answered with) it waits, up
     * to the configured bound and without holding a thread, until the view has at least that
     * version; it answers 503 with {@code Retry-After} if it has not, and 409 at once if the
     * order's next event is held behind a dead letter.
     */
    @GetMapping("/{orderId}")
    CompletableFuture<ResponseEntity<OrderView>> order(@PathVariable UUID orderId,
            @RequestParam(required = false) @Min(1) @Max(MAX_VERSION) Long minVersion, Caller caller) {
        String id = orderId.toString();
        Optional<OrderView> view = views.in(active.current()).findById(id)
                .filter(found -> visibleTo(found, caller));
        if (minVersion == null || ViewWaits.reached(view.orElse(null), minVersion) != null) {
            OrderView found = view.orElseThrow(() -> new ViewNotFound("order", orderId));
            return CompletableFuture.completedFuture(answer(found));
        }
        return waits.await(id, minVersion, view.map(OrderView::version).orElse(0L), found -> visibleTo(found, caller),
                caller.isOps())
                .thenApply(OrderViewController::answer);
    }

    /** Orders, newest first, narrowed by customer, status and placement time; one bounded page. */
    /** The deepest page a list answers: deeper pages cost the store a long skip. */
    static final int MAX_PAGE = 10_000;

    @GetMapping
    OrderPage orders(@RequestParam(required = false) UUID customerId,
            @RequestParam(required = false) OrderStatus status,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant placedFrom,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant placedTo,
            @RequestParam(defaultValue = "0") @Min(0) @Max(MAX_PAGE) int page,
            @RequestParam(defaultValue = "20") @Min(1) int size,
            Caller caller) {
        if (size > settings.maxPageSize()) {
            throw new InvalidRequest("size", "must be at most " + settings.maxPageSize());
        }
        if (placedFrom != null && placedTo != null && !placedFrom.isBefore(placedTo)) {
            throw new InvalidRequest("placedTo", "must be after placedFrom");
        }
        String owner = customerId == null ? null : customerId.toString();
        if (!caller.isOps()) {
            Optional<CustomerId> self = caller.customerId();
            if (self.isEmpty() || (owner != null && !owner.equals(self.get().toString()))) {
                return new OrderPage(List.of(), page, size, 0, 0);
            }
            owner = self.get().toString();
        }
        return views.in(active.current())
                .search(new OrderViews.OrderSearch(owner, status, placedFrom, placedTo, page, size));
    }

    private static ResponseEntity<OrderView> answer(OrderView view) {
        return ResponseEntity.ok().eTag("\"" + view.version() + "\"").body(view);
    }

    private static boolean visibleTo(OrderView view, Caller caller) {
        return caller.mayActFor(CustomerId.of(UUID.fromString(view.customerId())));
    }
}
