package io.ordercqrs.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordercqrs.events.CustomerId;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CallerTests {

    private final CustomerId alice = CustomerId.of(UUID.randomUUID());
    private final CustomerId bob = CustomerId.of(UUID.randomUUID());

    @Test
    void letsCustomersActForThemselvesOnly() {
        Caller caller = Caller.customer(alice);

        assertThat(caller.mayActFor(alice)).isTrue();
        assertThat(caller.mayActFor(bob)).isFalse();
        assertThatThrownBy(() -> caller.requireOps("ship orders")).isInstanceOf(OperationNotPermitted.class);
    }

    @Test
    void letsOpsActForEveryone() {
        Caller ops = Caller.ops("ops-1");

        assertThat(ops.mayActFor(alice)).isTrue();
        assertThat(ops.customerId()).isEmpty();
    }

    @Test
    void treatsACustomerWhoseSubjectIsNoCustomerIdAsNobody() {
        Caller caller = new Caller("alice@example.com", Set.of(Caller.Role.CUSTOMER));

        assertThat(caller.customerId()).isEmpty();
        assertThat(caller.mayActFor(alice)).isFalse();
    }
}
