package io.ordercqrs.command.order;

import io.ordercqrs.events.Money;
import io.ordercqrs.events.OrderPlaced;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.math.BigDecimal;
import java.util.Currency;

/** One ordered product with its quantity and unit price; lines never change once placed. */
@Embeddable
public class OrderLine {

    private String sku;

    @Column(name = "product_name")
    private String productName;

    private int quantity;

    @Column(name = "unit_price")
    private BigDecimal unitPrice;

    protected OrderLine() {
    }

    OrderLine(String sku, String productName, int quantity, BigDecimal unitPrice) {
        this.sku = sku;
        this.productName = productName;
        this.quantity = quantity;
        this.unitPrice = unitPrice;
    }

    public String sku() {
        return sku;
    }

    public String productName() {
        return productName;
    }

    public int quantity() {
        return quantity;
    }

    public Money unitPrice(Currency currency) {
        return new Money(unitPrice, currency);
    }

    public Money subtotal(Currency currency) {
        return unitPrice(currency).times(quantity);
    }

    OrderPlaced.Line toEventLine(Currency currency) {
        return new OrderPlaced.Line(sku, productName, quantity, unitPrice(currency));
    }
}
