package io.ordercqrs.command.order;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** All orders. */
public interface Orders extends JpaRepository<Order, UUID> {
}
