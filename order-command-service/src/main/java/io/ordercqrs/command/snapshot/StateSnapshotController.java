package io.ordercqrs.command.snapshot;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The source of truth in id order, one bounded page at a time, so the query side can compare
 * every view with it without holding either side in memory.
 */
@RestController
@RequestMapping("/admin/snapshot")
@Tag(name = "State snapshot (ops)")
class StateSnapshotController {

    /** Below every random UUID: PostgreSQL orders uuids by their unsigned bytes. */
    private static final UUID BEFORE_ALL = new UUID(0, 0);

    private final JdbcClient jdbc;

    StateSnapshotController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An order as verification compares it. */
    record OrderState(UUID id, UUID customerId, String customerName, String customerEmail, String status,
            long version, BigDecimal total, String currency, int lines, Instant placedAt) {
    }

    /** A customer with the figures their order summary must show. */
    record CustomerState(UUID id, String name, String email, long version, long orderCount,
            Map<String, Long> countsByStatus, Map<String, BigDecimal> lifetimeSpend) {
    }

    @GetMapping("/orders")
    @Operation(summary = "Orders after the given id, in id order")
    @Transactional(readOnly = true)
    List<OrderState> orders(@RequestParam(required = false) UUID after,
            @RequestParam(defaultValue = "500") @Min(1) @Max(1000) int limit) {
        return jdbc.sql("""
                        select o.id, o.customer_id, c.name, c.email, o.status, o.version, o.total, o.currency,
                               (select count(*) from order_lines l where l.order_id = o.id) as lines, o.placed_at
                        from orders o join customers c on c.id = o.customer_id
                        where o.id > :after order by o.id limit :limit""")
                .param("after", after == null ? BEFORE_ALL : after).param("limit", limit)
                .query((row, n) -> new OrderState(row.getObject("id", UUID.class),
                        row.getObject("customer_id", UUID.class), row.getString("name"), row.getString("email"),
                        row.getString("status"), row.getLong("version"), row.getBigDecimal("total"),
                        row.getString("currency"), row.getInt("lines"), instant(row.getTimestamp("placed_at"))))
                .list();
    }

    @GetMapping("/customers")
    @Operation(summary = "Customers after the given id, in id order, with their order figures")
    @Transactional(readOnly = true)
    List<CustomerState> customers(@RequestParam(required = false) UUID after,
            @RequestParam(defaultValue = "500") @Min(1) @Max(1000) int limit) {
        List<CustomerState> page = jdbc.sql("""
                        select id, name, email, version from customers where id > :after order by id limit :limit""")
                .param("after", after == null ? BEFORE_ALL : after).param("limit", limit)
                .query((row, n) -> new CustomerState(row.getObject("id", UUID.class), row.getString("name"),
                        row.getString("email"), row.getLong("version"), 0, new TreeMap<>(), new TreeMap<>()))
                .list();
        if (page.isEmpty()) {
            return page;
        }
        Map<UUID, CustomerState> byId = new LinkedHashMap<>();
        page.forEach(customer -> byId.put(customer.id(), customer));
        jdbc.sql("""
                        select customer_id, status, currency, count(*) as orders, sum(total) as amount from orders
                        where customer_id in (:ids) group by customer_id, status, currency""")
                .param("ids", new ArrayList<>(byId.keySet()))
                .query(row -> {
                    CustomerState customer = byId.get(row.getObject("customer_id", UUID.class));
                    String status = row.getString("status");
                    customer.countsByStatus().merge(status, row.getLong("orders"), Long::sum);
                    if (List.of("PAID", "SHIPPED", "DELIVERED").contains(status)) {
                        customer.lifetimeSpend().merge(row.getString("currency"), row.getBigDecimal("amount"),
                                BigDecimal::add);
                    }
                });
        return byId.values().stream().map(customer -> new CustomerState(customer.id(), customer.name(),
                customer.email(), customer.version(),
                customer.countsByStatus().values().stream().mapToLong(Long::longValue).sum(),
                customer.countsByStatus(), customer.lifetimeSpend())).toList();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
