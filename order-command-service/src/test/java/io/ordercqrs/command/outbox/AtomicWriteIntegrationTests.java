package io.ordercqrs.command.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.command.CommandApi;
import io.ordercqrs.command.CommandServiceTest;
import io.ordercqrs.command.OutboxRows;
import io.ordercqrs.testsupport.ApiClient.Response;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Guarantee 1: a command's state change and its events commit together or not at all. Failures
 * are injected with real PostgreSQL triggers that refuse one customer's rows.
 */
@CommandServiceTest
class AtomicWriteIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    CommandApi api;
    OutboxRows outbox;

    @BeforeEach
    void setUp() {
        api = new CommandApi(port);
        outbox = new OutboxRows(jdbc);
        jdbc.execute("""
                create or replace function refuse_marked_rows() returns trigger language plpgsql as $$
                begin
                    raise exception 'injected failure for %', tg_table_name;
                end;
                $$
                """);
    }

    @AfterEach
    void dropTriggers() {
        jdbc.execute("drop trigger if exists refuse_outbox on outbox");
        jdbc.execute("drop trigger if exists refuse_orders on orders");
    }

    @Test
    void leavesNoOrderWhenItsOutboxRowCannotBeWritten() {
        CommandApi.Customer customer = api.registerCustomer();
        jdbc.execute("create trigger refuse_outbox before insert on outbox for each row when (new.payload->>'customerId' = '"
                + customer.id() + "') execute function refuse_marked_rows()");

        Response failed = api.placeOrder(customer.token());

        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(ordersOf(customer.id())).isZero();
        assertThat(jdbc.queryForObject("select count(*) from order_lines l join orders o on o.id = l.order_id "
                + "where o.customer_id = ?", Long.class, customer.id())).isZero();
    }

    @Test
    void leavesNoOutboxRowWhenThePlacedOrderCannotBeWritten() {
        CommandApi.Customer customer = api.registerCustomer();
        jdbc.execute("create trigger refuse_orders before insert on orders for each row when (new.customer_id = '"
                + customer.id() + "') execute function refuse_marked_rows()");

        Response failed = api.placeOrder(customer.token());

        assertThat(failed.status()).isEqualTo(500);
        assertThat(outbox.countForCustomer(customer.id())).as("only the registration event").isEqualTo(1);
    }

    @Test
    void leavesNoPaymentEventWhenThePaidOrderCannotBeWritten() {
        CommandApi.Customer customer = api.registerCustomer();
        UUID orderId = api.placedOrder(customer);
        jdbc.execute("create trigger refuse_orders before update on orders for each row when (new.id = '" + orderId
                + "') execute function refuse_marked_rows()");

        Response failed = api.pay(customer.token(), orderId);

        assertThat(failed.status()).isEqualTo(500);
        assertThat(outbox.sequencesOf(orderId)).containsExactly(1L);
        assertThat(jdbc.queryForObject("select status from orders where id = ?", String.class, orderId))
                .isEqualTo("PLACED");
    }

    private long ordersOf(UUID customerId) {
        return jdbc.queryForObject("select count(*) from orders where customer_id = ?", Long.class, customerId);
    }
}
