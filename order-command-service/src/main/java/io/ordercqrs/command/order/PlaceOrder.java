package io.ordercqrs.command.order;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.OrderId;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;

/** Command: place an order for a customer, in one currency. */
public record PlaceOrder(OrderId orderId, CustomerId customerId, Currency currency, List<Line> lines,
        Address shippingAddress) {

    public PlaceOrder {
        lines = List.copyOf(lines);
    }

    /** One product to order. */
    public record Line(String sku, String productName, int quantity, BigDecimal unitPrice) {
    }
}
