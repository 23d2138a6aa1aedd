package io.ordercqrs.service.security;

import io.ordercqrs.events.CustomerId;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The authenticated caller of a command: a customer (the token's subject is their customer id)
 * or an operator, who may act on every customer's behalf.
 */
public record Caller(String subject, Set<Role> roles) {

    public Caller {
        roles = Set.copyOf(roles);
    }

    public static Caller ops(String subject) {
        return new Caller(subject, Set.of(Role.OPS));
    }

    public static Caller customer(CustomerId customerId) {
        return new Caller(customerId.toString(), Set.of(Role.CUSTOMER));
    }

    public boolean isOps() {
        return roles.contains(Role.OPS);
    }

    /** The customer this caller is, if a customer with a customer id for a subject. */
    public Optional<CustomerId> customerId() {
        if (!roles.contains(Role.CUSTOMER)) {
            return Optional.empty();
        }
        try {
            return Optional.of(CustomerId.of(UUID.fromString(subject)));
        }
        catch (IllegalArgumentException notAUuid) {
            return Optional.empty();
        }
    }

    /** Whether this caller may see and act on things the given customer owns. */
    public boolean mayActFor(CustomerId owner) {
        return isOps() || customerId().filter(owner::equals).isPresent();
    }

    /** Refuses callers other than ops. */
    public void requireOps(String action) {
        if (!isOps()) {
            throw new OperationNotPermitted("Only ops may " + action);
        }
    }

    /** The roles a token can grant, by their claim value. */
    public enum Role {
        CUSTOMER("customer"), OPS("ops");

        private final String claimValue;

        Role(String claimValue) {
            this.claimValue = claimValue;
        }

        public String authority() {
            return "ROLE_" + claimValue;
        }
    }
}
