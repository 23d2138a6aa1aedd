package io.ordercqrs.command.customer;

import java.util.UUID;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.jpa.repository.JpaRepository;

/** All registered customers. */
public interface Customers extends JpaRepository<Customer, UUID> {

    @Query("select count(c) > 0 from Customer c where lower(c.email) = lower(?1) and c.id <> ?2")
    boolean isEmailTakenByAnother(String email, UUID customerId);
}
