package io.ordercqrs.command.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.Money;
import io.ordercqrs.events.OrderCancelled;
import io.ordercqrs.events.OrderDelivered;
import io.ordercqrs.events.OrderEvent;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.events.OrderPaid;
import io.ordercqrs.events.OrderPlaced;
import io.ordercqrs.events.OrderShipped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrderTests {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final Currency EUR = Currency.getInstance("EUR");

    @Test
    void placesAnOrderWhoseTotalIsTheSumOfItsLines() {
        Order order = placed();

        List<OrderEvent> events = order.pullEvents();

        assertThat(order.status()).isEqualTo(OrderStatus.PLACED);
        assertThat(order.total()).isEqualTo(Money.of("27.97", "EUR"));
        assertThat(order.version()).isEqualTo(1);
        assertThat(events).singleElement().isInstanceOfSatisfying(OrderPlaced.class, placed -> {
            assertThat(placed.sequence()).isEqualTo(1);
            assertThat(placed.total()).isEqualTo(Money.of("27.97", "EUR"));
            assertThat(placed.lines()).hasSize(2);
            assertThat(placed.shippingAddress().city()).isEqualTo("Berlin");
        });
    }

    @Test
    void paysAPlacedOrderWithExactlyItsTotal() {
        Order order = placed();
        order.pullEvents();

        order.pay(Money.of("27.97", "EUR"), "PAY-1", NOW);

        assertThat(order.status()).isEqualTo(OrderStatus.PAID);
        assertThat(order.pullEvents()).singleElement().isInstanceOfSatisfying(OrderPaid.class, paid -> {
            assertThat(paid.sequence()).isEqualTo(2);
            assertThat(paid.paymentReference()).isEqualTo("PAY-1");
        });
    }

    @Test
    void refusesAPaymentThatIsNotTheTotal() {
        Order order = placed();

        assertThatThrownBy(() -> order.pay(Money.of("27.96", "EUR"), "PAY-1", NOW))
                .isInstanceOf(PaymentDoesNotMatchTotal.class)
                .hasMessageContaining("27.96 EUR does not match the order total of 27.97 EUR");
        assertThat(order.status()).isEqualTo(OrderStatus.PLACED);
    }

    @Test
    void refusesAPaymentInAnotherCurrency() {
        Order order = placed();

        assertThatThrownBy(() -> order.pay(Money.of("27.97", "USD"), "PAY-1", NOW))
                .isInstanceOf(PaymentDoesNotMatchTotal.class);
    }

    @Test
    void refusesToPayTwice() {
        Order order = paid();

        assertThatThrownBy(() -> order.pay(Money.of("27.97", "EUR"), "PAY-2", NOW))
                .isInstanceOf(OrderAlreadyPaid.class)
                .hasMessageContaining("was paid already (PAID)");
    }

    @Test
    void refusesShippingAnUnpaidOrder() {
        Order order = placed();

        assertThatThrownBy(() -> order.ship("DHL", "T1", NOW))
                .isInstanceOf(OrderNotPaid.class)
                .hasMessageContaining("cannot be shipped");
    }

    @Test
    void shipsAPaidOrderAndDeliversIt() {
        Order order = paid();

        order.ship("DHL", "JJD1", NOW);
        OrderEvent shipped = order.pullEvents().get(0);
        order.markDelivered(NOW);
        OrderEvent delivered = order.pullEvents().get(0);

        // The version moves when the change is flushed; each event carries the version it leads to.
        assertThat(shipped).isInstanceOf(OrderShipped.class).extracting(OrderEvent::sequence)
                .isEqualTo(order.version() + 1);
        assertThat(delivered).isInstanceOf(OrderDelivered.class);
        assertThat(order.status()).isEqualTo(OrderStatus.DELIVERED);
    }

    @Test
    void refusesDeliveringAnOrderThatHasNotShipped() {
        Order order = paid();

        assertThatThrownBy(() -> order.markDelivered(NOW)).isInstanceOf(OrderNotShipped.class);
    }

    @Test
    void cancelsBeforeShippingOnly() {
        Order placed = placed();
        placed.pullEvents();
        placed.cancel("changed my mind", NOW);
        assertThat(placed.pullEvents()).singleElement().isInstanceOf(OrderCancelled.class);

        Order paid = paid();
        paid.cancel("found it cheaper", NOW);
        assertThat(paid.status()).isEqualTo(OrderStatus.CANCELLED);

        Order shipped = paid();
        shipped.ship("DHL", "T", NOW);
        assertThatThrownBy(() -> shipped.cancel("too late", NOW))
                .isInstanceOf(OrderAlreadyShipped.class)
                .hasMessageContaining("cannot be cancelled");
    }

    @Test
    void refusesEverythingOnceCancelled() {
        Order order = placed();
        order.pullEvents();
        order.cancel("no", NOW);
        order.pullEvents();

        assertThatThrownBy(() -> order.pay(Money.of("27.97", "EUR"), "P", NOW)).isInstanceOf(OrderAlreadyCancelled.class);
        assertThatThrownBy(() -> order.ship("DHL", "T", NOW)).isInstanceOf(OrderAlreadyCancelled.class);
        assertThatThrownBy(() -> order.cancel("again", NOW)).isInstanceOf(OrderAlreadyCancelled.class);
    }

    @Test
    void recordsOneEventPerTransactionOnly() {
        Order order = placed();

        // OrderPlaced is still pending: a second change before the first is saved would reuse its sequence.
        assertThatThrownBy(() -> order.cancel("no", NOW)).isInstanceOf(IllegalStateException.class);
    }

    static Order placed() {
        return Order.place(new PlaceOrder(OrderId.of(UUID.randomUUID()), CustomerId.of(UUID.randomUUID()), EUR,
                List.of(new PlaceOrder.Line("SKU-1", "Manual", 2, new BigDecimal("12.50")),
                        new PlaceOrder.Line("SKU-2", "Gear", 3, new BigDecimal("0.99"))),
                new Address("Ada", "Main St 1", "10115", "Berlin", "DE")), NOW);
    }

    static Order paid() {
        Order order = placed();
        order.pullEvents();
        order.pay(Money.of("27.97", "EUR"), "PAY-1", NOW);
        order.pullEvents();
        return order;
    }
}
