package io.ordercqrs.events;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * An exact amount of one currency. The amount travels as a decimal string (for example
 * {@code "12.50"}) so no consumer ever rounds it through a binary floating point number.
 */
public record Money(@JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount, Currency currency) {

    public Money {
        Objects.requireNonNull(amount, "amount must not be null");
        Objects.requireNonNull(currency, "currency must not be null");
        int fractionDigits = currency.getDefaultFractionDigits();
        if (fractionDigits >= 0) {
            if (amount.stripTrailingZeros().scale() > fractionDigits) {
                throw new IllegalArgumentException("amount " + amount.toPlainString() + " has more decimals than "
                        + currency.getCurrencyCode() + " allows (" + fractionDigits + ")");
            }
            amount = amount.setScale(fractionDigits);
        }
    }

    public static Money of(String amount, String currencyCode) {
        return new Money(new BigDecimal(amount), Currency.getInstance(currencyCode));
    }

    public static Money zero(Currency currency) {
        return new Money(BigDecimal.ZERO, currency);
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(amount.add(other.amount), currency);
    }

    public Money times(int factor) {
        return new Money(amount.multiply(BigDecimal.valueOf(factor)), currency);
    }

    public boolean isNegative() {
        return amount.signum() < 0;
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot add " + other.currency + " to " + currency);
        }
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency.getCurrencyCode();
    }
}
