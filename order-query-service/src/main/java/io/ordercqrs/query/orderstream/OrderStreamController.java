package io.ordercqrs.query.orderstream;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.query.generation.ActiveViews;
import io.ordercqrs.query.orderview.OrderStatus;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.orderview.OrderViews;
import io.ordercqrs.service.security.Caller;
import io.ordercqrs.service.web.InvalidRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Order views as they change, as server-sent events: a customer gets their own orders, ops all of
 * them; either may narrow the stream to one status. A client that reconnects with
 * {@code Last-Event-ID} first gets the views that changed since that event (as they stand now).
 */
@RestController
class OrderStreamController {

    private static final Pattern EVENT_ID = Pattern.compile(
            "([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}):([1-9][0-9]{0,8})");

    private final OrderStreams streams;
    private final OrderViews orderViews;
    private final ActiveViews active;
    private final StreamSettings settings;

    OrderStreamController(OrderStreams streams, OrderViews orderViews, ActiveViews active, StreamSettings settings) {
        this.streams = streams;
        this.orderViews = orderViews;
        this.active = active;
        this.settings = settings;
    }

    @Operation(summary = "Order views as they change (server-sent events): your own orders, or every order for ops",
            description = """
                    Each event is named after the order event that made the view what it is (for example \
                    order.paid), carries the view as JSON and has the id <order id>:<version>. Reconnect \
                    with Last-Event-ID to get first the views that changed since (each as it stands now, \
                    possibly one you saw already). Idle streams get a comment line every heartbeat.""",
            parameters = @Parameter(name = "Last-Event-ID", in = ParameterIn.HEADER,
                    description = "The id of the last event received, <order id>:<version>",
                    schema = @Schema(type = "string", pattern = "^[0-9a-fA-F-]{36}:[1-9][0-9]{0,8}$")),
            responses = @ApiResponse(responseCode = "200", description = "The stream",
                    content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                            schema = @Schema(type = "string"))))
    @GetMapping(path = "/orders/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(@RequestParam(required = false) @Nullable OrderStatus status,
            @Parameter(hidden = true) @RequestHeader(name = "Last-Event-ID", required = false)
            @Nullable String lastEventId,
            Caller caller) {
        if (!caller.isOps() && caller.customerId().isEmpty()) {
            throw new InvalidRequest("token", "names no customer");
        }
        Optional<Seen> seen = lastEventId == null || lastEventId.isBlank() ? Optional.empty()
                : Optional.of(Seen.parse(lastEventId));
        return streams.open(caller, status, () -> seen.map(last -> missed(last, status, caller)).orElse(List.of()));
    }

    /** The views of the caller's that changed since the event {@code last} (at or after its time). */
    private List<OrderView> missed(Seen last, @Nullable OrderStatus status, Caller caller) {
        OrderViews.In views = orderViews.in(active.current());
        Optional<OrderView.StatusChange> change = views.findById(last.orderId())
                .filter(view -> caller.mayActFor(CustomerId.of(UUID.fromString(view.customerId()))))
                .map(view -> view.change(last.version()));
        if (change.isEmpty()) {
            return List.of();
        }
        String customer = caller.isOps() ? null : caller.customerId().orElseThrow().toString();
        return views.changedSince(change.get().at(), customer, status, settings.resendLimit()).stream()
                .filter(view -> !(view.id().equals(last.orderId()) && view.version() <= last.version()))
                .toList();
    }

    /** The event a client saw last: an order at a version. */
    private record Seen(String orderId, long version) {

        static Seen parse(String eventId) {
            Matcher matcher = EVENT_ID.matcher(eventId.trim());
            if (!matcher.matches()) {
                throw new InvalidRequest("Last-Event-ID",
                        "must be <order id>:<version>, as an event of this stream had");
            }
            return new Seen(matcher.group(1).toLowerCase(), Long.parseLong(matcher.group(2)));
        }
    }
}
