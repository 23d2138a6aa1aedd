package io.ordercqrs.command.customer;

import io.ordercqrs.command.async.CommandCall;
import io.ordercqrs.command.async.CommandKind;
import io.ordercqrs.command.async.Commands;
import io.ordercqrs.service.security.Caller;
import io.ordercqrs.service.security.OperationNotPermitted;
import io.ordercqrs.command.web.EntityTags;
import io.ordercqrs.command.web.IdempotentRequests;
import io.ordercqrs.events.CustomerId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/**
 * Customers over REST: register, change details, read. With {@code Prefer: respond-async} a change
 * is accepted for later instead (see {@link Commands}).
 */
@RestController
@RequestMapping("/customers")
@Tag(name = "Customers")
class CustomerController {

    private final CustomerManagement customers;
    private final Commands commands;
    private final CommandKind<RegisterCustomer, CustomerResponse> registering;
    private final CommandKind<ChangeCustomerDetails, CustomerResponse> changingDetails;

    CustomerController(CustomerManagement customers, Commands commands) {
        this.customers = customers;
        this.commands = commands;
        this.registering = commands.register("customer.register", RegisterCustomer.class, CustomerResponse.class,
                command -> "customer:" + command.customerId(), (command, caller) -> {
                    Customer customer = customers.register(command);
                    return ResponseEntity.created(URI.create("/customers/" + customer.customerId()))
                            .eTag(EntityTags.of(customer.version()))
                            .body(CustomerResponse.of(customer));
                });
        this.changingDetails = commands.register("customer.change-details", ChangeCustomerDetails.class,
                CustomerResponse.class, command -> "customer:" + command.customerId(), (command, caller) -> {
                    Customer customer = customers.changeDetails(command, caller);
                    return ResponseEntity.ok().eTag(EntityTags.of(customer.version()))
                            .body(CustomerResponse.of(customer));
                });
    }

    @PostMapping
    @Operation(summary = "Register a customer",
            description = "Customers register themselves under their token's subject; ops may register anyone.",
            responses = @ApiResponse(responseCode = "201", description = "Registered; Location and ETag name it",
                    useReturnTypeSchema = true))
    ResponseEntity<CustomerResponse> register(
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key,
            @RequestHeader(name = Commands.PREFER, required = false) String prefer,
            @Valid @RequestBody RegisterCustomerRequest request, Caller caller) {
        RegisterCustomer command = new RegisterCustomer(idFor(request, caller), request.name(), request.email());
        return commands.answer(registering, command, new CommandCall(caller, "POST /customers", request, key, prefer));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read a customer")
    ResponseEntity<CustomerResponse> get(@PathVariable UUID id, Caller caller, WebRequest request) {
        Customer customer = customers.find(CustomerId.of(id), caller);
        String etag = EntityTags.of(customer.version());
        if (request.checkNotModified(etag)) {
            return ResponseEntity.status(304).eTag(etag).build();
        }
        return ResponseEntity.ok().eTag(etag).body(CustomerResponse.of(customer));
    }

    @PutMapping("/{id}/details")
    @Operation(summary = "Change a customer's name and email")
    ResponseEntity<CustomerResponse> changeDetails(@PathVariable UUID id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = Commands.PREFER, required = false) String prefer,
            @Valid @RequestBody ChangeCustomerDetailsRequest request, Caller caller) {
        ChangeCustomerDetails command = new ChangeCustomerDetails(CustomerId.of(id), request.name(), request.email(),
                EntityTags.expectedVersion(ifMatch));
        return commands.answer(changingDetails, command,
                new CommandCall(caller, "PUT /customers/" + id + "/details", request, null, prefer));
    }

    private static CustomerId idFor(RegisterCustomerRequest request, Caller caller) {
        if (caller.isOps()) {
            return CustomerId.of(request.customerId() == null ? UUID.randomUUID() : request.customerId());
        }
        CustomerId self = caller.customerId().orElseThrow(() -> new OperationNotPermitted(
                "Customers register under their token's subject, which must be a customer id (a UUID)"));
        if (request.customerId() != null && !request.customerId().equals(self.value())) {
            throw new OperationNotPermitted("Customers can only register themselves");
        }
        return self;
    }
}
