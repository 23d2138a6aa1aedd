package io.ordercqrs.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventRecordsTests {

    @Test
    void refusesAnOrderWhoseTotalIsNotTheSumOfItsLines() {
        OrderPlaced sample = SampleEvents.orderPlaced();

        assertThatThrownBy(() -> new OrderPlaced(sample.eventId(), sample.orderId(), 1, sample.occurredAt(),
                sample.customerId(), sample.lines(), Money.of("1.00", "EUR"), sample.shippingAddress()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not the sum of the lines");
    }

    @Test
    void refusesAnOrderMixingCurrencies() {
        OrderPlaced sample = SampleEvents.orderPlaced();

        assertThatThrownBy(() -> new OrderPlaced(sample.eventId(), sample.orderId(), 1, sample.occurredAt(),
                sample.customerId(), List.of(new OrderPlaced.Line("A", "a", 1, Money.of("1.00", "USD"))),
                Money.of("1.00", "EUR"), sample.shippingAddress()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("USD");
    }

    @Test
    void refusesSequenceNumbersBelowOne() {
        assertThatThrownBy(() -> new OrderDelivered(UUID.randomUUID(), SampleEvents.ORDER, 0, SampleEvents.AT,
                SampleEvents.CUSTOMER))
                .hasMessageContaining("sequence must be at least 1");
    }

    @Test
    void refusesLinesWithoutQuantity() {
        assertThatThrownBy(() -> new OrderPlaced.Line("A", "a", 0, Money.of("1.00", "EUR")))
                .hasMessageContaining("quantity must be at least 1");
    }

    @Test
    void derivesTheAggregateFromTheEvent() {
        assertThat(SampleEvents.orderPaid().aggregateId()).isEqualTo(SampleEvents.ORDER.value());
        assertThat(SampleEvents.orderPaid().aggregateType()).isEqualTo(AggregateType.ORDER);
        assertThat(SampleEvents.customerRegistered().aggregateId()).isEqualTo(SampleEvents.CUSTOMER.value());
    }
}
