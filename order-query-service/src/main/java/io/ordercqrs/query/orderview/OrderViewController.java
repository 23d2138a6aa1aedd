package io.ordercqrs.query.orderview;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.query.projection.ViewCollections;
import io.ordercqrs.query.web.QuerySettings;
import io.ordercqrs.query.web.ViewNotCaughtUp;
import io.ordercqrs.query.web.ViewNotFound;
import io.ordercqrs.service.security.Caller;
import io.ordercqrs.service.web.InvalidRequest;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Order views for frontends. Customers see only their own orders: another customer's order is
 * answered exactly like one that does not exist, and lists are filtered to the caller. Queries
 * never write.
 */
@RestController
@RequestMapping("/orders")
class OrderViewController {

    private final OrderViews views;
    private final QuerySettings settings;

    OrderViewController(OrderViews views, QuerySettings settings) {
        this.views = views;
        this.settings = settings;
    }

    /**
     * One order's view. With {@code minVersion} (the version a command answered with) it waits,
     * up to the configured bound, until the view has at least that version, and answers 503 with
     * {@code Retry-After} if it has not.
     */
    @GetMapping("/{orderId}")
    ResponseEntity<OrderView> order(@PathVariable UUID orderId, @RequestParam(required = false) @Min(1) Long minVersion,
            Caller caller) {
        String id = orderId.toString();
        Optional<OrderView> view = visible(views.findById(id, ViewCollections.LIVE.orderViews()), caller);
        if (minVersion != null) {
            long deadline = System.nanoTime() + settings.maxWait().toNanos();
            while (view.map(OrderView::version).orElse(0L) < minVersion && System.nanoTime() < deadline) {
                sleep();
                view = visible(views.findById(id, ViewCollections.LIVE.orderViews()), caller);
            }
            long current = view.map(OrderView::version).orElse(0L);
            if (current < minVersion) {
                throw new ViewNotCaughtUp("Order " + orderId, minVersion, current);
            }
        }
        OrderView found = view.orElseThrow(() -> new ViewNotFound("order", orderId));
        return ResponseEntity.ok().eTag("\"" + found.version() + "\"").body(found);
    }

    /** Orders, newest first, narrowed by customer, status and placement time; one bounded page. */
    @GetMapping
    OrderPage orders(@RequestParam(required = false) UUID customerId,
            @RequestParam(required = false) OrderStatus status,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant placedFrom,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant placedTo,
            @RequestParam(defaultValue = "0") @Min(0) int page,
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
        return views.search(new OrderViews.OrderSearch(owner, status, placedFrom, placedTo, page, size),
                ViewCollections.LIVE.orderViews());
    }

    private static Optional<OrderView> visible(Optional<OrderView> view, Caller caller) {
        return view.filter(found -> caller.mayActFor(CustomerId.of(UUID.fromString(found.customerId()))));
    }

    private void sleep() {
        try {
            Thread.sleep(settings.pollEvery().toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the view", e);
        }
    }
}
