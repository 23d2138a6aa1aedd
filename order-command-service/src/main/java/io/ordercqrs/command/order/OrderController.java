package io.ordercqrs.command.order;

import io.ordercqrs.command.async.CommandCall;
import io.ordercqrs.command.async.CommandKind;
import io.ordercqrs.command.async.Commands;
import io.ordercqrs.service.security.Caller;
import io.ordercqrs.command.web.EntityTags;
import io.ordercqrs.command.web.IdempotentRequests;
import io.ordercqrs.service.web.InvalidRequest;
import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.Money;
import io.ordercqrs.events.OrderId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.Currency;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/**
 * Orders over REST: one endpoint per task. Every change answers with the order and its new
 * version (body and {@code ETag}); {@code If-Match} refuses a change on a stale version, and an
 * {@code Idempotency-Key} makes a POST safe to retry. With {@code Prefer: respond-async} a change is
 * accepted for later instead (see {@link Commands}).
 */
@RestController
@RequestMapping("/orders")
@Tag(name = "Orders")
class OrderController {

    private final OrderManagement orders;
    private final Commands commands;
    private final CommandKind<PlaceOrder, OrderResponse> placing;
    private final CommandKind<PayOrder, OrderResponse> paying;
    private final CommandKind<ShipOrder, OrderResponse> shipping;
    private final CommandKind<MarkOrderDelivered, OrderResponse> delivering;
    private final CommandKind<CancelOrder, OrderResponse> cancelling;

    OrderController(OrderManagement orders, Commands commands) {
        this.orders = orders;
        this.commands = commands;
        this.placing = commands.register("order.place", PlaceOrder.class, OrderResponse.class,
                command -> "order:" + command.orderId(), (command, caller) -> placed(orders.place(command, caller)));
        this.paying = commands.register("order.pay", PayOrder.class, OrderResponse.class,
                command -> "order:" + command.orderId(), (command, caller) -> changed(orders.pay(command, caller)));
        this.shipping = commands.register("order.ship", ShipOrder.class, OrderResponse.class,
                command -> "order:" + command.orderId(), (command, caller) -> changed(orders.ship(command, caller)));
        this.delivering = commands.register("order.deliver", MarkOrderDelivered.class, OrderResponse.class,
                command -> "order:" + command.orderId(),
                (command, caller) -> changed(orders.markDelivered(command, caller)));
        this.cancelling = commands.register("order.cancel", CancelOrder.class, OrderResponse.class,
                command -> "order:" + command.orderId(), (command, caller) -> changed(orders.cancel(command, caller)));
    }

    @PostMapping
    @Operation(summary = "Place an order", description = "Customers order for themselves; ops name the customer.",
            responses = @ApiResponse(responseCode = "201", description = "Placed; Location and ETag name it",
                    useReturnTypeSchema = true))
    ResponseEntity<OrderResponse> place(@RequestHeader(name = IdempotentRequests.HEADER, required = false) String key,
            @RequestHeader(name = Commands.PREFER, required = false) String prefer,
            @Valid @RequestBody PlaceOrderRequest request, Caller caller) {
        return commands.answer(placing, toCommand(request, caller),
                new CommandCall(caller, "POST /orders", request, key, prefer));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read one order as the command side sees it")
    ResponseEntity<OrderResponse> get(@PathVariable UUID id, Caller caller, WebRequest request) {
        Order order = orders.find(OrderId.of(id), caller);
        String etag = EntityTags.of(order.version());
        if (request.checkNotModified(etag)) {
            return ResponseEntity.status(304).eTag(etag).build();
        }
        return ResponseEntity.ok().eTag(etag).body(OrderResponse.of(order));
    }

    @PostMapping("/{id}/payment")
    @Operation(summary = "Pay a placed order", description = "The amount must be exactly the order's total.")
    ResponseEntity<OrderResponse> pay(@PathVariable UUID id,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = Commands.PREFER, required = false) String prefer,
            @Valid @RequestBody PayOrderRequest request, Caller caller) {
        PayOrder command = new PayOrder(OrderId.of(id), amount(request), request.paymentReference(),
                EntityTags.expectedVersion(ifMatch));
        return commands.answer(paying, command,
                new CommandCall(caller, "POST /orders/" + id + "/payment", request, key, prefer));
    }

    @PostMapping("/{id}/shipment")
    @Operation(summary = "Ship a paid order (ops)")
    ResponseEntity<OrderResponse> ship(@PathVariable UUID id,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = Commands.PREFER, required = false) String prefer,
            @Valid @RequestBody ShipOrderRequest request, Caller caller) {
        ShipOrder command = new ShipOrder(OrderId.of(id), request.carrier(), request.trackingNumber(),
                EntityTags.expectedVersion(ifMatch));
        return commands.answer(shipping, command,
                new CommandCall(caller, "POST /orders/" + id + "/shipment", request, key, prefer));
    }

    @PostMapping("/{id}/delivery")
    @Operation(summary = "Mark a shipped order delivered (ops)")
    ResponseEntity<OrderResponse> markDelivered(@PathVariable UUID id,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = Commands.PREFER, required = false) String prefer, Caller caller) {
        MarkOrderDelivered command = new MarkOrderDelivered(OrderId.of(id), EntityTags.expectedVersion(ifMatch));
        return commands.answer(delivering, command,
                new CommandCall(caller, "POST /orders/" + id + "/delivery", null, key, prefer));
    }

    @PostMapping("/{id}/cancellation")
    @Operation(summary = "Cancel an order that has not shipped")
    ResponseEntity<OrderResponse> cancel(@PathVariable UUID id,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = Commands.PREFER, required = false) String prefer,
            @Valid @RequestBody CancelOrderRequest request, Caller caller) {
        CancelOrder command = new CancelOrder(OrderId.of(id), request.reason(), EntityTags.expectedVersion(ifMatch));
        return commands.answer(cancelling, command,
                new CommandCall(caller, "POST /orders/" + id + "/cancellation", request, key, prefer));
    }

    private static ResponseEntity<OrderResponse> placed(Order order) {
        return ResponseEntity.created(URI.create("/orders/" + order.orderId()))
                .eTag(EntityTags.of(order.version()))
                .body(OrderResponse.of(order));
    }

    private static ResponseEntity<OrderResponse> changed(Order order) {
        return ResponseEntity.ok().eTag(EntityTags.of(order.version())).body(OrderResponse.of(order));
    }

    private static PlaceOrder toCommand(PlaceOrderRequest request, Caller caller) {
        CustomerId customer;
        if (request.customerId() != null) {
            customer = CustomerId.of(request.customerId());
        }
        else if (caller.isOps()) {
            throw new InvalidRequest("customerId", "is required when ops place an order");
        }
        else {
            customer = caller.customerId()
                    .orElseThrow(() -> new InvalidRequest("customerId", "is required: your token names no customer"));
        }
        Currency currency = CurrencyCode.Parsed.currency(request.currency());
        for (int i = 0; i < request.lines().size(); i++) {
            requireFits(request.lines().get(i).unitPrice(), currency, "lines[" + i + "].unitPrice");
        }
        return new PlaceOrder(OrderId.of(UUID.randomUUID()), customer, currency,
                request.lines().stream().map(line -> new PlaceOrder.Line(line.sku(), line.productName(),
                        line.quantity(), line.unitPrice())).toList(),
                request.shippingAddress().toAddress());
    }

    private static Money amount(PayOrderRequest request) {
        Currency currency = CurrencyCode.Parsed.currency(request.currency());
        requireFits(request.amount(), currency, "amount");
        return new Money(request.amount(), currency);
    }

    private static void requireFits(java.math.BigDecimal amount, Currency currency, String field) {
        if (amount.stripTrailingZeros().scale() > currency.getDefaultFractionDigits()) {
            throw new InvalidRequest(field, "has more decimals than " + currency.getCurrencyCode() + " allows ("
                    + currency.getDefaultFractionDigits() + ")");
        }
    }
}
