package io.ordercqrs.query.orderview;

import io.ordercqrs.events.Money;
import java.math.BigDecimal;

/**
 * An exact amount of money as views store and show it: the decimal as a string, so no reader
 * loses a cent, and its ISO 4217 currency.
 */
public record Amount(String amount, String currency) {

    public static Amount of(Money money) {
        return new Amount(money.amount().toPlainString(), money.currency().getCurrencyCode());
    }

    public BigDecimal decimal() {
        return new BigDecimal(amount);
    }
}
