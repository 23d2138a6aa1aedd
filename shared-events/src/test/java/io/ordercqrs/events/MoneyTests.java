package io.ordercqrs.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTests {

    @Test
    void keepsAmountsExactInTheCurrencysMinorUnits() {
        assertThat(Money.of("0.1", "EUR").plus(Money.of("0.2", "EUR"))).isEqualTo(Money.of("0.30", "EUR"));
        assertThat(Money.of("12.5", "EUR").amount()).isEqualTo(new BigDecimal("12.50"));
        assertThat(Money.of("0.99", "EUR").times(3)).isEqualTo(Money.of("2.97", "EUR"));
        assertThat(Money.of("100", "JPY").amount()).isEqualTo(new BigDecimal("100"));
    }

    @Test
    void refusesFractionsTheCurrencyDoesNotHave() {
        assertThatThrownBy(() -> Money.of("1.005", "EUR")).hasMessageContaining("more decimals than EUR allows (2)");
        assertThatThrownBy(() -> Money.of("1.5", "JPY")).hasMessageContaining("JPY");
    }

    @Test
    void refusesToAddDifferentCurrencies() {
        assertThatThrownBy(() -> Money.of("1", "EUR").plus(Money.of("1", "USD")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesUnknownCurrencies() {
        assertThatThrownBy(() -> Money.of("1", "XYZ")).isInstanceOf(IllegalArgumentException.class);
    }
}
