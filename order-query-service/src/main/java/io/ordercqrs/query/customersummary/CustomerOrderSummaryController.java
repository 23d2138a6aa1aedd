package io.ordercqrs.query.customersummary;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.query.generation.ActiveViews;
import io.ordercqrs.query.web.ViewNotFound;
import io.ordercqrs.service.security.Caller;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A customer's order summary; customers see only their own. */
@RestController
class CustomerOrderSummaryController {

    private final CustomerOrderSummaries summaries;
    private final ActiveViews active;

    CustomerOrderSummaryController(CustomerOrderSummaries summaries, ActiveViews active) {
        this.summaries = summaries;
        this.active = active;
    }

    @GetMapping("/customers/{customerId}/order-summary")
    CustomerOrderSummary summary(@PathVariable UUID customerId, Caller caller) {
        if (!caller.mayActFor(CustomerId.of(customerId))) {
            throw new ViewNotFound("order summary for customer", customerId);
        }
        return summaries.in(active.current()).findById(customerId.toString())
                .orElseThrow(() -> new ViewNotFound("order summary for customer", customerId));
    }
}
